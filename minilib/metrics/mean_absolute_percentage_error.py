"""MeanAbsolutePercentageError metric: the running average of `100 * mean(|y - p| / |y|)`.

It reuses the loss function `minilib.losses.mean_absolute_percentage_error`.
"""

from minilib.losses.mean_absolute_percentage_error import mean_absolute_percentage_error
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean absolute percentage error over all samples seen.

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
