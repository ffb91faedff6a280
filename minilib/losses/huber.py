"""Huber loss: squared error for small errors, absolute error for big ones.

For each error `x = y_pred - y_true`::

    0.5 * x ** 2                      if abs(x) <= delta
    delta * abs(x) - 0.5 * delta ** 2 otherwise

then the mean over the last axis. It behaves like MSE near the target (smooth
gradients) and like MAE far from it (outliers cannot dominate).
"""

from minilib import ops
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import to_matching_tensors


def huber(y_true, y_pred, delta=1.0):
    """Return the Huber loss of each sample (the mean runs over the last axis).

    Args:
        y_true: the targets, shape `(batch, d0, ..., dN)`.
        y_pred: the predictions, the same shape (a trailing axis of 1 may differ).
        delta: the error size where the loss turns from quadratic to linear.

    Returns:
        A tensor of shape `(batch, d0, ..., dN-1)`.

    Example:
        >>> huber([[0.0, 0.0]], [[0.5, 3.0]])   # (0.125 + 2.5) / 2
        tensor([1.3125])
    """
    y_true, y_pred = to_matching_tensors("Huber", y_true, y_pred)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * abs_error - 0.5 * delta**2
    return ops.mean(ops.where(abs_error <= delta, quadratic, linear), axis=-1)


class Huber(LossFunctionWrapper):
    """The Huber loss: quadratic for errors up to `delta`, linear beyond.

    Args:
        delta: the error size where the loss turns from quadratic to linear.
        reduction, name, dtype: as for `Loss`.

    Example:
        >>> Huber(delta=1.0)([[0.0, 0.0]], [[0.5, 3.0]])
        tensor(1.3125)
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta

    def get_config(self):
        return {**Loss.get_config(self), "delta": self.delta}
