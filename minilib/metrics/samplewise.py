"""Reducing a batch of metric values to one value per sample, with sample weights.

`Mean` and `Sum` accept values of any shape, e.g. one error per pixel of
each image, and weights that may cover fewer axes, e.g. one per image. The
values are first reduced over the axes the weights lack, then multiplied by
the weights, then reduced to one value per sample::

    values (batch, 10), sample_weight (batch,)
      -> mean over axis 1 -> (batch,) -> times sample_weight -> (batch,)

These are Keras's rules, so weighted metrics match Keras exactly.
"""

from minilib import ops
from minilib.losses.reduction import squeeze_or_expand_to_same_rank


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Return `(values, sample_weight)` reduced to one entry per sample (see the module doc).

    Args:
        values: a tensor (or array) of metric values; its first axis is the batch.
        sample_weight: `None`, or weights whose shape is a prefix of `values`'s
            (a trailing axis of size 1 may differ).
        reduce_fn: `ops.mean` or `ops.sum`, used to drop axes.
        dtype: the dtype to compute in.

    Returns:
        `values` of shape `(batch,)` (or a scalar), and `sample_weight`
        broadcast and reduced to the same shape (or `None`).
    """
    values = ops.cast(values, dtype)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        if values.ndim > sample_weight.ndim:
            values = reduce_fn(values, axis=tuple(range(sample_weight.ndim, values.ndim)))
        # Broadcasting the weights makes their sum count each value they apply to.
        sample_weight = ops.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if sample_weight.ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, sample_weight.ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight
