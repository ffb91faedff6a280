"""The regression errors as metrics: MeanSquaredError, MeanAbsoluteError and
MeanAbsolutePercentageError.

Each reuses its loss function from `minilib.losses`; as a metric it averages over every
batch since the last reset, not one batch. (RootMeanSquaredError, whose root is taken once
at the end, has a file of its own.)
"""

from minilib.losses.mean_absolute_error import mean_absolute_error
from minilib.losses.mean_absolute_percentage_error import mean_absolute_percentage_error
from minilib.losses.mean_squared_error import mean_squared_error
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper


class MeanSquaredError(MeanMetricWrapper):
    """The mean squared error over all samples seen: the running average of
    `mean((y_true - y_pred) ** 2)`.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = MeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> m.result()
        tensor(0.2500)
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean absolute error over all samples seen: the running average of
    `mean(abs(y_true - y_pred))`.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> m.result()
        tensor(0.2500)
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean absolute percentage error over all samples seen: the running average of
    `100 * mean(abs(y_true - y_pred) / abs(y_true))`.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = MeanAbsolutePercentageError()
        >>> m.update_state([[1.0, 2.0]], [[1.5, 2.0]])
        >>> m.result()
        tensor(25.)
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
