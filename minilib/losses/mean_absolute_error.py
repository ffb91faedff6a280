"""Mean absolute error (MAE): a regression loss that is robust to outliers.

    loss = mean(abs(y_true - y_pred), axis=-1)

Every unit of error costs the same, so one huge error does not dominate
the way it does with `MeanSquaredError`.
"""

from minilib import ops
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import to_matching_tensors


def mean_absolute_error(y_true, y_pred):
    """Return the mean absolute error of each sample (the mean runs over the last axis).

    Args:
        y_true: the targets, shape `(batch, d0, ..., dN)`.
        y_pred: the predictions, the same shape (a trailing axis of 1 may differ).

    Returns:
        A tensor of shape `(batch, d0, ..., dN-1)`.

    Example:
        >>> mean_absolute_error([[0.0, 1.0]], [[2.0, 1.0]])
        tensor([1.])
    """
    y_true, y_pred = to_matching_tensors("MeanAbsoluteError", y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


class MeanAbsoluteError(LossFunctionWrapper):
    """The mean of the absolute errors, `mean(abs(y_true - y_pred))`.

    Args:
        reduction, name, dtype: as for `Loss`.

    Example:
        >>> MeanAbsoluteError()([[0.0, 1.0], [0.0, 0.0]], [[2.0, 1.0], [1.0, 0.0]])
        tensor(0.7500)
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
