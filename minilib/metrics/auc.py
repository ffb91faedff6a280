"""AUC: the area under the ROC curve (or the precision-recall curve).

The ROC curve plots the true positive rate (recall) against the false
positive rate as the decision threshold sweeps from 0 to 1. Its area is the
probability that a random positive sample scores higher than a random
negative one: 1.0 is a perfect ranking, 0.5 is guessing.

Like Keras, this metric does not keep every prediction. It counts
TP/FP/TN/FN at `num_thresholds` fixed thresholds (evenly spaced in [0, 1],
plus one just below 0 and one just above 1), batch after batch, and
`result()` adds up the area of the trapezoids between neighbouring
thresholds::

    area = sum((x[i] - x[i+1]) * (y[i] + y[i+1]) / 2)

So the value approaches the exact AUC as `num_thresholds` grows, and works
for any number of batches in constant memory. Predictions are clipped to
[0, 1] first (pass `from_logits=True` for logits).
"""

import torch

from minilib import ops
from minilib.backend import config
from minilib.metrics.confusion import confusion_counts, thresholds_list
from minilib.metrics.metric import Metric, divide_no_nan

CURVES = ("ROC", "PR")
SUMMATION_METHODS = ("interpolation", "minoring", "majoring")


class AUC(Metric):
    """The area under the ROC or precision-recall curve, over all samples seen.

    Args:
        num_thresholds: how many thresholds discretise the curve (> 1).
        curve: `"ROC"` or `"PR"` (precision-recall).
        summation_method: `"interpolation"` (trapezoids; for PR, the
            Davis & Goadrich interpolation), `"minoring"` (rectangles under
            the curve, a lower bound) or `"majoring"` (an upper bound).
        name: the name shown in logs.
        dtype: the dtype of the state and the result.
        thresholds: your own list of thresholds in [0, 1] instead of evenly
            spaced ones (the two end thresholds are still added).
        multi_label: with several labels per sample, compute one AUC per
            label (last axis) and average them, instead of pooling all labels.
        num_labels: the number of labels when `multi_label`; if omitted, it
            is read from the first batch.
        label_weights: one weight per label, for the average over labels
            (`multi_label=True`) or for the pooled counts (`multi_label=False`).
        from_logits: apply a sigmoid to `y_pred` first.

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> m.result()
        tensor(0.7500)
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        if curve.upper() not in CURVES:
            raise ValueError(f"AUC: unknown curve {curve!r}; use one of {CURVES}.")
        if summation_method.lower() not in SUMMATION_METHODS:
            raise ValueError(f"AUC: unknown summation_method {summation_method!r}; "
                             f"use one of {SUMMATION_METHODS}.")
        if thresholds is None and num_thresholds <= 1:
            raise ValueError(f"AUC: num_thresholds must be > 1, got {num_thresholds}.")
        if num_labels and not multi_label:
            raise ValueError("AUC: num_labels is only used with multi_label=True.")
        super().__init__(name=name, dtype=dtype)
        self.curve = curve.upper()
        self.summation_method = summation_method.lower()
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = label_weights
        self.from_logits = from_logits
        self._given_thresholds = thresholds
        if thresholds is None:
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        else:
            inner = sorted(thresholds_list(thresholds, None))
        # The end thresholds sit just outside [0, 1], so predictions of exactly 0
        # are above the first and predictions of exactly 1 below the last.
        self.thresholds = [-config.epsilon(), *inner, 1.0 + config.epsilon()]
        self.num_thresholds = len(self.thresholds)
        # Made once on the device, so update_state never copies them to the GPU.
        self._threshold_tensor = ops.convert_to_tensor(self.thresholds, dtype=self.dtype)
        self._label_weight_tensor = (None if label_weights is None else
                                     ops.convert_to_tensor(label_weights, dtype=self.dtype))
        self._built = False
        if not multi_label or num_labels:
            self._build(num_labels)

    def _build(self, num_labels):
        shape = (self.num_thresholds, num_labels) if self.multi_label else (self.num_thresholds,)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")
        self._built = True

    # Metrics are reported, never differentiated: no_grad skips recording autograd history.
    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch to the TP/FP/TN/FN counts at every threshold.

        Args:
            y_true: labels, non-zero meaning positive, shaped like `y_pred`.
            y_pred: probabilities (or logits with `from_logits=True`).
            sample_weight: `None` or one weight per sample.
        """
        y_pred = ops.convert_to_tensor(y_pred)
        if not self._built:
            if y_pred.ndim != 2:
                raise ValueError("AUC(multi_label=True) expects y_pred of shape "
                                 f"(batch, num_labels), got {tuple(y_pred.shape)}.")
            self._build(y_pred.shape[1])
        if self.from_logits:
            y_pred = ops.sigmoid(y_pred)
        counts = confusion_counts(
            y_true, ops.clip(y_pred, 0.0, 1.0), self._threshold_tensor,
            sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self._label_weight_tensor)
        variables = (self.true_positives, self.false_positives, self.true_negatives,
                     self.false_negatives)
        for variable, count in zip(variables, counts, strict=True):
            variable.add_(count)

    def _average_over_labels(self, per_threshold_areas):
        """Sum the areas over thresholds; with `multi_label`, average the labels' AUCs."""
        if not self.multi_label:
            return ops.sum(per_threshold_areas)
        label_aucs = ops.sum(per_threshold_areas, axis=0)
        if self._label_weight_tensor is None:
            return ops.mean(label_aucs)
        return divide_no_nan(ops.sum(label_aucs * self._label_weight_tensor),
                             ops.sum(self._label_weight_tensor))

    def _interpolated_pr_areas(self):
        """Areas under the PR curve between thresholds, interpolating TP and FP linearly.

        Precision is not linear between two thresholds, but TP and the number
        of predicted positives P = TP + FP are (Davis & Goadrich, 2006). With
        `slope = dTP / dP`, the area of one interval is
        `slope * (dTP + intercept * log(P_a / P_b)) / total_positives`.
        """
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        predicted_positive = tp + fp
        d_tp = tp[:-1] - tp[1:]
        d_predicted = predicted_positive[:-1] - predicted_positive[1:]
        slope = divide_no_nan(d_tp, ops.relu(d_predicted))
        intercept = tp[1:] - slope * predicted_positive[1:]
        both_positive = ops.logical_and(predicted_positive[:-1] > 0, predicted_positive[1:] > 0)
        ratio = ops.where(both_positive,
                          divide_no_nan(predicted_positive[:-1], ops.relu(predicted_positive[1:])),
                          ops.ones_like(d_tp))
        return divide_no_nan(slope * (d_tp + intercept * ops.log(ratio)),
                             ops.relu(tp[1:] + fn[1:]))

    def result(self):
        """The area under the curve (averaged over labels with `multi_label`)."""
        if not self._built:
            return ops.zeros((), dtype=self.dtype)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._average_over_labels(self._interpolated_pr_areas())
        tp, fp, tn, fn = (self.true_positives, self.false_positives, self.true_negatives,
                          self.false_negatives)
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall       # false positive rate, recall
        else:
            x, y = recall, divide_no_nan(tp, tp + fp)       # recall, precision
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[:-1], y[1:])
        else:
            heights = ops.maximum(y[:-1], y[1:])
        # Thresholds rise, so x falls: x[i] - x[i+1] is each interval's (positive) width.
        return self._average_over_labels((x[:-1] - x[1:]) * heights)

    def get_config(self):
        config_dict = {**super().get_config(), "num_thresholds": self.num_thresholds,
                       "curve": self.curve, "summation_method": self.summation_method,
                       "multi_label": self.multi_label, "num_labels": self.num_labels,
                       "label_weights": self.label_weights, "from_logits": self.from_logits}
        if self._given_thresholds is not None:
            config_dict["thresholds"] = self._given_thresholds
        return config_dict
