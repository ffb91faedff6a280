"""Kullback-Leibler divergence: how far a predicted distribution is from the true one."""

from minilib import ops
from minilib.backend import config
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import check_same_shape


def kl_divergence(y_true, y_pred):
    """Return the KL divergence `KL(y_true || y_pred)` of each sample.

    Example:
        >>> kl_divergence([[0.5, 0.5]], [[0.25, 0.75]])   # 0.5 log 2 + 0.5 log(2/3)
        tensor([0.1438])
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    check_same_shape("KLDivergence", y_true, y_pred)
    y_true = ops.clip(y_true, config.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, config.epsilon(), 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


class KLDivergence(LossFunctionWrapper):
    """The Kullback-Leibler divergence between label and predicted distributions.

        loss = sum(y_true * log(y_true / y_pred), axis=-1)

    Both are probability vectors over the last axis. As in Keras, both are
    clipped to `[epsilon, 1]` first, so zeros do not produce `log(0)`. The
    divergence is 0 when the prediction equals the label, and grows as they part.

    Args:
        reduction, name, dtype: as for `Loss`.

    Example:

    >>> loss = minilib.losses.KLDivergence()
    >>> loss([[0.5, 0.5]], [[0.25, 0.75]])   # 0.5 log 2 + 0.5 log(2/3)
    tensor(0.1438)
    >>> loss([[0.5, 0.5]], [[0.5, 0.5]])
    tensor(0.)
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)
