"""Counting true/false positives/negatives at several thresholds at once.

Precision, Recall and AUC all start from the same four (weighted) counts.
A prediction `p` is called positive at threshold `t` when `p > t`; a label
is positive when it is non-zero:

================  ===============  ===============
                  label positive   label negative
================  ===============  ===============
`p > t`           true positive    false positive
`p <= t`          false negative   true negative
================  ===============  ===============

Comparing the predictions with every threshold at once, a
`(thresholds, predictions)` table of booleans, turns the counting into two
sums: no Python loop over samples or thresholds.
"""

from minilib import ops
from minilib.losses.reduction import squeeze_or_expand_to_same_rank

NEG_INF = -1e10
"""The threshold used with `top_k`: every kept prediction is above it."""


def thresholds_list(thresholds, default):
    """`thresholds` as a list of floats in [0, 1], or `[default]` when it is `None`."""
    if thresholds is None:
        return [default]
    listed = [float(t) for t in (thresholds if isinstance(thresholds, (list, tuple))
                                 else [thresholds])]
    if any(not 0.0 <= t <= 1.0 for t in listed):
        raise ValueError(f"Thresholds must be in [0, 1], got {thresholds!r}.")
    return listed


def keep_top_k(y_pred, k):
    """Set all but the `k` largest scores of each row (last axis) to `NEG_INF`."""
    _, top_indices = ops.top_k(y_pred, k)
    in_top_k = ops.sum(ops.one_hot(top_indices, y_pred.shape[-1], dtype=y_pred.dtype), axis=-2)
    return y_pred * in_top_k + NEG_INF * (1.0 - in_top_k)


def confusion_counts(y_true, y_pred, thresholds, sample_weight=None, top_k=None,
                     class_id=None, multi_label=False, label_weights=None):
    """Return the weighted counts `(tp, fp, tn, fn)` for each threshold.

    Args:
        y_true: labels (non-zero means positive), shaped like `y_pred`
            (a trailing axis of size 1 may differ).
        y_pred: scores, usually probabilities in [0, 1].
        thresholds: a 1-D float tensor of thresholds; its dtype is used throughout.
        sample_weight: `None`, or one weight per sample (or per element).
        top_k: if set, only each row's `k` highest scores may be positive.
        class_id: if set, only this class (last axis) is counted.
        multi_label: if True, count each label (last axis) separately.
        label_weights: if set (and not `multi_label`), a weight per label.

    Returns:
        Four tensors of shape `(num_thresholds,)`, or
        `(num_thresholds, num_labels)` when `multi_label`.
    """
    dtype = thresholds.dtype
    y_true = ops.cast(y_true, dtype)
    y_pred = ops.cast(y_pred, dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        # One weight per sample is given an axis so it spreads over the labels of that sample.
        sample_weight = ops.expand_dims(ops.cast(sample_weight, dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = keep_top_k(y_pred, top_k)
    if class_id is not None:
        y_true = y_true[..., class_id:class_id + 1]
        y_pred = y_pred[..., class_id:class_id + 1]

    weights = ops.ones_like(y_pred)
    if sample_weight is not None:
        weights = weights * sample_weight
    if label_weights is not None:
        weights = weights * label_weights
    positive = ops.cast(y_true != 0, dtype) * weights
    negative = weights - positive
    if not multi_label:
        y_pred, positive, negative = (ops.reshape(x, (-1,)) for x in (y_pred, positive, negative))

    # above[t, i] says whether prediction i is above threshold t.
    threshold_axes = (-1,) + (1,) * y_pred.ndim
    above = ops.cast(ops.expand_dims(y_pred, 0) > ops.reshape(thresholds, threshold_axes), dtype)
    true_positives = ops.sum(above * positive, axis=1)
    false_positives = ops.sum(above * negative, axis=1)
    false_negatives = ops.sum(positive, axis=0) - true_positives
    true_negatives = ops.sum(negative, axis=0) - false_positives
    return true_positives, false_positives, true_negatives, false_negatives
