"""Mean squared error (MSE): the standard loss for regression.

    loss = mean((y_true - y_pred) ** 2, axis=-1)

Squaring punishes big errors much more than small ones, so a few outliers
can dominate it; `Huber` and `MeanAbsoluteError` are gentler.
"""

from minilib import ops
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import to_matching_tensors


def mean_squared_error(y_true, y_pred):
    """Return the mean squared error of each sample (the mean runs over the last axis).

    Args:
        y_true: the targets, shape `(batch, d0, ..., dN)`.
        y_pred: the predictions, the same shape (a trailing axis of 1 may differ).

    Returns:
        A tensor of shape `(batch, d0, ..., dN-1)`.

    Example:
        >>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])
        tensor([0.5000])
    """
    y_true, y_pred = to_matching_tensors("MeanSquaredError", y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


class MeanSquaredError(LossFunctionWrapper):
    """The mean of the squared errors, `mean((y_true - y_pred) ** 2)`.

    Args:
        reduction, name, dtype: as for `Loss`.

    Example:
        >>> MeanSquaredError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]])
        tensor(0.5000)
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
