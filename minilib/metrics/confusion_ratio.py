"""ConfusionRatio: the shared part of Precision and Recall.

Both are a ratio of two running confusion counts (see `confusion.py`), kept
for every threshold at once:

    precision = true_positives / (true_positives + false_positives)
    recall    = true_positives / (true_positives + false_negatives)

They differ only in the error they count: a false alarm (false positive) or
a miss (false negative). Each subclass names it in `counted_error`.
"""

import torch

from minilib import ops
from minilib.metrics.confusion import NEG_INF, confusion_counts, thresholds_list
from minilib.metrics.metric import Metric, divide_no_nan

COUNT_NAMES = ("true_positives", "false_positives", "true_negatives", "false_negatives")
"""The four counts `confusion_counts` returns, in its order."""


class ConfusionRatio(Metric):
    """`true_positives / (true_positives + <counted_error>)`, over all samples seen.

    A subclass sets `counted_error` to `"false_positives"` or `"false_negatives"`;
    the metric keeps two state variables, `true_positives` and one named after it.

    Its constructor's arguments (`thresholds`, `top_k`, `class_id`, `name`,
    `dtype`) are described on `Precision` and `Recall`.
    """

    counted_error = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = thresholds_list(thresholds, 0.5 if top_k is None else NEG_INF)
        # Made once on the device, so update_state never copies thresholds to the GPU.
        self._threshold_tensor = ops.convert_to_tensor(self.thresholds, dtype=self.dtype)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        # Named as in Keras: self.false_positives (Precision) or self.false_negatives (Recall).
        setattr(self, self.counted_error,
                self.add_variable(shape, "zeros", name=self.counted_error))

    # Metrics are reported, never differentiated: no_grad skips recording autograd history.
    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        """Count the true positives and the counted errors of one batch.

        Args:
            y_true: labels, non-zero meaning positive, shaped like `y_pred`.
            y_pred: scores, usually probabilities in [0, 1].
            sample_weight: `None` or one weight per sample.
        """
        counts = dict(zip(COUNT_NAMES, confusion_counts(
            y_true, y_pred, self._threshold_tensor, sample_weight=sample_weight,
            top_k=self.top_k, class_id=self.class_id), strict=True))
        self.true_positives.add_(counts["true_positives"])
        getattr(self, self.counted_error).add_(counts[self.counted_error])

    def result(self):
        """The ratio: a scalar, or one value per threshold."""
        errors = getattr(self, self.counted_error)
        ratio = divide_no_nan(self.true_positives, self.true_positives + errors)
        return ratio[0] if len(self.thresholds) == 1 else ratio

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}
