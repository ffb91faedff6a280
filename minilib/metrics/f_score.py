"""F-beta and F1 scores: precision and recall combined into one number per class."""

import torch

from minilib import ops
from minilib.backend import config
from minilib.metrics.metric import Metric

AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """The F-beta score over all samples seen: precision and recall in one number per class.

        F_beta = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)

    F1 (`beta=1`) is their harmonic mean; `beta > 1` weighs recall more. The
    labels are one-hot or multi-hot rows `(batch, num_classes)`. A prediction
    counts as positive when it is above `threshold`, or, with `threshold=None`,
    when it is the row's highest score.

    `average` decides how the per-class scores are combined: `None` (one score
    per class), `"micro"` (pool all classes' counts first), `"macro"` (plain mean
    of the class scores) or `"weighted"` (mean weighted by each class's number
    of true samples).

    Args:
        average: `None`, `"micro"`, `"macro"` or `"weighted"` (see above).
        beta: how many times more recall counts than precision (a float > 0).
        threshold: predictions above it are positive; `None` takes each row's maximum.
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example: class 0 has precision 1/2 and recall 1, class 1 was never found.

    >>> m = minilib.metrics.FBetaScore(beta=2.0, threshold=0.5)
    >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.4]])
    >>> m.result()                      # class 0: 5 * 0.5 * 1 / (4 * 0.5 + 1)
    tensor([0.8333, 0.0000])
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        if average not in AVERAGES:
            raise ValueError(f"{type(self).__name__}: average must be one of {AVERAGES}, "
                             f"got {average!r}.")
        if beta <= 0:
            raise ValueError(f"{type(self).__name__}: beta must be > 0, got {beta}.")
        if threshold is not None and not 0.0 < threshold <= 1.0:
            raise ValueError(f"{type(self).__name__}: threshold must be in (0, 1], "
                             f"got {threshold}.")
        super().__init__(name=name, dtype=dtype)
        self.average = average
        self.beta = beta
        self.threshold = threshold
        # "micro" pools the classes, so its counts are single numbers summed over all axes.
        self._sum_axis = None if average == "micro" else 0
        self._built = False

    def _build(self, num_classes):
        shape = () if self.average == "micro" else (num_classes,)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")
        self.intermediate_weights = self.add_variable(shape, "zeros",
                                                      name="intermediate_weights")
        self._built = True

    # Metrics are reported, never differentiated: no_grad skips recording autograd history.
    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's per-class true positives, false positives and false negatives.

        Args:
            y_true: one-hot or multi-hot labels, shape `(batch, num_classes)`.
            y_pred: scores of the same shape.
            sample_weight: `None` or one weight per sample.
        """
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        if y_true.ndim != 2 or y_pred.ndim != 2:
            raise ValueError(f"{type(self).__name__} expects y_true and y_pred of shape "
                             f"(batch, num_classes), got {tuple(y_true.shape)} and "
                             f"{tuple(y_pred.shape)}.")
        if not self._built:
            self._build(y_pred.shape[-1])
        if self.threshold is None:
            row_max = ops.max(y_pred, axis=-1, keepdims=True)
            # A row of zeros has no maximum class: abs(y) > 1e-9 keeps it all negative.
            predicted = ops.logical_and(y_pred >= row_max, ops.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = ops.cast(predicted, self.dtype)
        weight = 1.0 if sample_weight is None else \
            ops.expand_dims(ops.convert_to_tensor(sample_weight, dtype=self.dtype), 1)
        self.true_positives.add_(ops.sum(predicted * y_true * weight, axis=self._sum_axis))
        self.false_positives.add_(ops.sum(predicted * (1 - y_true) * weight,
                                          axis=self._sum_axis))
        self.false_negatives.add_(ops.sum((1 - predicted) * y_true * weight,
                                          axis=self._sum_axis))
        self.intermediate_weights.add_(ops.sum(y_true * weight, axis=self._sum_axis))

    def result(self):
        """The score: one per class with `average=None`, else a scalar."""
        if not self._built:
            return ops.zeros((), dtype=self.dtype)
        epsilon = config.epsilon()
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + epsilon)
        recall = tp / (tp + self.false_negatives + epsilon)
        beta_squared = self.beta**2
        score = (1 + beta_squared) * precision * recall / (
            beta_squared * precision + recall + epsilon)
        if self.average == "weighted":
            weights = self.intermediate_weights / (ops.sum(self.intermediate_weights) + epsilon)
            return ops.sum(score * weights)
        if self.average is not None:
            return ops.mean(score)
        return score

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score, the harmonic mean of precision and recall, over all samples seen.

    Args:
        average: `None`, `"micro"`, `"macro"` or `"weighted"` (see `FBetaScore`).
        threshold: predictions above it are positive; `None` takes each row's maximum.
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = F1Score(average="micro", threshold=0.5)
        >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.4]])
        >>> m.result()                      # precision 1/2, recall 1/2
        tensor(0.5000)
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config_dict = super().get_config()
        del config_dict["beta"]
        return config_dict
