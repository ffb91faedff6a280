"""MeanSquaredError metric: the running average of `mean((y_true - y_pred) ** 2)`.

It reuses the loss function `minilib.losses.mean_squared_error`; as a metric
it averages over every batch since the last reset, not one batch.
"""

from minilib.losses.mean_squared_error import mean_squared_error
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper


class MeanSquaredError(MeanMetricWrapper):
    """The mean squared error over all samples seen.

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
