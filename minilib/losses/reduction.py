"""Reductions: how a tensor of per-sample losses becomes the one number you minimise.

A loss's `call` returns one value per sample (or per time step, per pixel...).
`reduce_weighted_values` multiplies those values by `sample_weight`, then
reduces them according to `reduction`:

==========================  ==============================================
`"sum_over_batch_size"`     `sum(w * loss) / number_of_loss_values` (default)
`"mean"`                    the same as `"sum_over_batch_size"`
`"sum"`                     `sum(w * loss)`
`"mean_with_sample_weight"` `sum(w * loss) / sum(w)`
`None` or `"none"`          `w * loss`, not reduced
==========================  ==============================================

Note that the default divides by the *number of values*, not by the sum of
the weights: a sample with weight 0 still counts in the denominator. This is
Keras's rule, so losses match Keras to the last digit::

    >>> import torch
    >>> from minilib.losses.reduction import reduce_weighted_values
    >>> reduce_weighted_values(torch.tensor([1.0, 3.0]), sample_weight=[1.0, 0.0])
    tensor(0.5000)
"""

from minilib import ops

# Per-batch code here compares and scales with Python numbers through operators
# (`x > 0`, `x * 2.0`) and makes zeros with `zeros_like`: a Python number given to
# an op would become a new GPU tensor, a copy that makes the CPU wait for the GPU.

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    """Return `reduction` unchanged, or raise a `ValueError` naming the valid choices."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"Unknown reduction {reduction!r}. Use one of {REDUCTIONS}.")
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Line up the ranks of two tensors that differ by a trailing axis of size 1.

    Labels often arrive as `(batch,)` while the model outputs `(batch, 1)`.
    When the ranks differ by one and the bigger tensor ends in a 1, the
    smaller tensor gains that axis if it is rank 1 (and `expand_rank_1`),
    otherwise the bigger one loses it. Any other pair is returned unchanged.

    Example: shapes `(32,)` and `(32, 1)` become `(32, 1)` and `(32, 1)`.
    """
    rank1, rank2 = x1.ndim, x2.ndim
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            return x1, ops.expand_dims(x2, -1)
        return ops.squeeze(x1, -1), x2
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            return ops.expand_dims(x1, -1), x2
        return x1, ops.squeeze(x2, -1)
    return x1, x2


def mask_to_sample_weight(sample_weight, mask, dtype, reduction):
    """Fold a boolean `mask` (True = this loss value counts) into the sample weights.

    For the averaging reductions the kept values get weight `total / kept`
    instead of 1, so that dividing by the number of values afterwards
    averages over the kept values only::

        sum(w * loss * total / kept) / total  ==  sum(w * loss) / kept
    """
    if mask is None:
        return sample_weight
    float_mask = ops.cast(mask, dtype)
    if reduction in ("sum_over_batch_size", "mean"):
        kept = ops.sum(float_mask)
        # where() rather than a plain division: a batch with nothing kept gets weight 0.
        float_mask = ops.where(kept > 0, float_mask * (mask.numel() / kept),
                               ops.zeros_like(float_mask))
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size"):
    """Weight the per-sample `values`, then reduce them (see the module docstring).

    Args:
        values: the per-sample losses, a float tensor.
        sample_weight: `None`, a number, or a tensor whose shape matches
            `values` up to a trailing axis of size 1 (or that broadcasts to it).
        mask: `None`, or a boolean tensor shaped like `values` marking the
            entries that count (used by `SparseCategoricalCrossentropy(ignore_class=...)`).
        reduction: one of `REDUCTIONS`.
    """
    reduction = standardize_reduction(reduction)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=values.dtype)
    sample_weight = mask_to_sample_weight(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight

    if reduction in (None, "none") or values.ndim == 0 or tuple(values.shape) == (0,):
        return values
    if reduction in ("sum_over_batch_size", "mean") and values.numel() > 0:
        return ops.mean(values)  # sum / number of values, in one kernel
    total = ops.sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        weight_sum = ops.sum(sample_weight)
        return ops.where(weight_sum != 0, total / weight_sum, ops.zeros_like(total))
    # An empty batch sums to 0; max(..., 1) keeps it 0 instead of 0 / 0.
    return total / max(values.numel(), 1)
