"""Cosine similarity loss: minus the cosine of the angle between label and prediction."""

from minilib import ops
from minilib.backend import config
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import to_matching_tensors


def _l2_normalize(x, axis):
    inverse_norm = ops.rsqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    return x * ops.minimum(inverse_norm, 1.0 / config.epsilon())


def cosine_similarity(y_true, y_pred, axis=-1):
    """Return minus the cosine similarity of each sample's label and prediction vectors.

    Example:
        >>> cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [2.0, 2.0]])
        tensor([-0.0000, -1.0000])
    """
    y_true, y_pred = to_matching_tensors("CosineSimilarity", y_true, y_pred)
    return -ops.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


class CosineSimilarity(LossFunctionWrapper):
    """Minus the cosine similarity between labels and predictions.

        loss = -sum(l2_normalize(y_true) * l2_normalize(y_pred), axis=axis)

    It lies in [-1, 1]: -1 when the vectors point the same way, 0 when they
    are orthogonal. Only directions matter, not lengths. As in Keras, each
    vector is scaled by `min(1 / norm, 1 / epsilon)` so a zero vector stays 0.

    Args:
        axis: the axis holding the vectors.
        reduction, name, dtype: as for `Loss`.

    Example: orthogonal (0) and same direction (-1), averaged over the batch.

    >>> loss = minilib.losses.CosineSimilarity()
    >>> loss([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [2.0, 2.0]])
    tensor(-0.5000)
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}
