"""Recall: of the samples that really are positive, the fraction predicted positive.

    recall = true_positives / (true_positives + false_negatives)

A prediction is called positive when it is above the threshold (0.5 by
default; use 0.0 for logits). High recall means few misses.
"""

from minilib.metrics.confusion_ratio import ConfusionRatio


class Recall(ConfusionRatio):
    """The fraction of positive samples that are predicted positive, over all samples seen.

    Its state is two counts per threshold, `true_positives` and `false_negatives`.

    Args:
        thresholds: a float or a list of floats in [0, 1]; predictions above
            it are positive. With a list, `result()` has one value per threshold.
            Defaults to 0.5 (or, with `top_k`, to "any score in the top k").
        top_k: if set, only each sample's `k` highest scores count as positive.
        class_id: if set, only this class (last axis) is evaluated.
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> m.result()                      # 2 of the 3 positives are found
        tensor(0.6667)
        >>> m.false_negatives               # the second sample was missed
        <Variable path=recall/false_negatives, shape=(1,), dtype=float32, value=[1.]>
    """

    counted_error = "false_negatives"
