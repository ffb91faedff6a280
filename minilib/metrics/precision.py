"""Precision: of the predictions called positive, the fraction that really are.

    precision = true_positives / (true_positives + false_positives)

A prediction is called positive when it is above the threshold (0.5 by
default; use 0.0 for logits). High precision means few false alarms.
"""

import torch

from minilib import ops
from minilib.metrics.confusion import NEG_INF, confusion_counts, thresholds_list
from minilib.metrics.metric import Metric, divide_no_nan


class Precision(Metric):
    """The fraction of positive predictions that are correct, over all samples seen.

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
    """

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = thresholds_list(thresholds, 0.5 if top_k is None else NEG_INF)
        # Made once on the device, so update_state never copies thresholds to the GPU.
        self._threshold_tensor = ops.convert_to_tensor(self.thresholds, dtype=self.dtype)
        self.true_positives = self.add_variable((len(self.thresholds),), "zeros",
                                                name="true_positives")
        self.false_positives = self.add_variable((len(self.thresholds),), "zeros",
                                                 name="false_positives")

    # Metrics are reported, never differentiated: no_grad skips recording autograd history.
    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        """Count the true and false positives of one batch.

        Args:
            y_true: labels, non-zero meaning positive, shaped like `y_pred`.
            y_pred: scores, usually probabilities in [0, 1].
            sample_weight: `None` or one weight per sample.
        """
        true_positives, false_positives, _, _ = confusion_counts(
            y_true, y_pred, self._threshold_tensor, sample_weight=sample_weight,
            top_k=self.top_k, class_id=self.class_id)
        self.true_positives.add_(true_positives)
        self.false_positives.add_(false_positives)

    def result(self):
        """The precision: a scalar, or one value per threshold."""
        precision = divide_no_nan(self.true_positives,
                                  self.true_positives + self.false_positives)
        return precision[0] if len(self.thresholds) == 1 else precision

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}
