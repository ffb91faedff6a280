"""Precision: of the predictions called positive, the fraction that really are.

    precision = true_positives / (true_positives + false_positives)

A prediction is called positive when it is above the threshold (0.5 by
default; use 0.0 for logits). High precision means few false alarms.
"""

from minilib.metrics.confusion_ratio import ConfusionRatio


class Precision(ConfusionRatio):
    """The fraction of positive predictions that are correct, over all samples seen.

    Its state is two counts per threshold, `true_positives` and `false_positives`.

    Args:
        thresholds: a float or a list of floats in [0, 1]; predictions above
            it are positive. With a list, `result()` has one value per threshold.
            Defaults to 0.5 (or, with `top_k`, to "any score in the top k").
        top_k: if set, only each sample's `k` highest scores count as positive.
        class_id: if set, only this class (last axis) is evaluated.
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> m.result()                      # 2 of the 3 positive predictions are right
        tensor(0.6667)
        >>> m.false_positives               # the first prediction was a false alarm
        <Variable path=precision/false_positives, shape=(1,), dtype=float32, value=[1.]>
    """

    counted_error = "false_positives"
