"""Hinge loss: the loss of support vector machines, for labels -1 and 1."""

from minilib import ops
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import to_matching_tensors


def hinge(y_true, y_pred):
    """Return the hinge loss of each sample (the mean runs over the last axis).

    Example:
        >>> hinge([[1.0, -1.0]], [[0.5, -2.0]])   # (0.5 + 0) / 2
        tensor([0.2500])
    """
    y_true, y_pred = to_matching_tensors("Hinge", y_true, y_pred)
    # Decided on the device with where(), not with `if`, so the CPU never waits for the GPU.
    all_zero_or_one = ops.all(ops.logical_or(y_true == 0, y_true == 1))
    y_true = ops.where(all_zero_or_one, 2.0 * y_true - 1.0, y_true)
    return ops.mean(ops.relu(1.0 - y_true * y_pred), axis=-1)


class Hinge(LossFunctionWrapper):
    """The hinge loss, `mean(maximum(1 - y_true * y_pred, 0))`, for labels -1/1 (or 0/1).

    The loss of support vector machines. A prediction on the right side with a
    margin of at least 1 costs nothing. Labels given as 0 and 1 are turned into
    -1 and 1 first (as in Keras: only when *every* label is 0 or 1).

    Args:
        reduction, name, dtype: as for `Loss`.

    Example: the first prediction is right but inside the margin, the second is safe.

    >>> minilib.losses.Hinge()([[1.0, -1.0]], [[0.5, -2.0]])   # (0.5 + 0) / 2
    tensor(0.2500)
    >>> minilib.losses.Hinge()([[1.0, 0.0]], [[0.5, -2.0]])    # 0/1 labels: the same
    tensor(0.2500)
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
