"""Mean absolute percentage error (MAPE): the error as a percentage of the target."""

from minilib import ops
from minilib.backend import config
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import to_matching_tensors


def mean_absolute_percentage_error(y_true, y_pred):
    """Return the mean absolute percentage error of each sample (mean over the last axis).

    Example:
        >>> mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 5.0]])   # (50% + 25%) / 2
        tensor([37.5000])
    """
    y_true, y_pred = to_matching_tensors("MeanAbsolutePercentageError", y_true, y_pred)
    scale = ops.maximum(ops.abs(y_true), config.epsilon())
    return 100.0 * ops.mean(ops.abs((y_true - y_pred) / scale), axis=-1)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """The mean absolute error as a percentage of the target.

        loss = 100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)

    Useful when the targets span several orders of magnitude; the `epsilon`
    (1e-7) floor keeps targets of 0 from dividing by zero (but they still
    give huge losses, so MAPE suits strictly non-zero targets).

    Args:
        reduction, name, dtype: as for `Loss`.

    Example: off by 1 on a target of 2 (50%), and by 10 on a target of 40 (25%).

    >>> minilib.losses.MeanAbsolutePercentageError()([[2.0], [40.0]], [[1.0], [50.0]])
    tensor(37.5000)
    """

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
