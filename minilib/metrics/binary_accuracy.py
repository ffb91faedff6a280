"""Binary accuracy: how often a thresholded probability matches a 0/1 label.

    binary_accuracy = mean((y_pred > threshold) == y_true)

The metric for a model ending in `Dense(1, activation="sigmoid")`. For a
model that outputs logits (no sigmoid), use `threshold=0.0`.
"""

from minilib import ops
from minilib.backend import config
from minilib.losses.reduction import squeeze_or_expand_to_same_rank
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Return 1.0 where `(y_pred > threshold)` equals the 0/1 label, else 0.0.

    Example:
        >>> binary_accuracy([1, 1, 0, 0], [0.98, 0.4, 0.1, 0.6])
        tensor([1., 0., 1., 0.])
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted_labels = ops.cast(y_pred > threshold, y_true.dtype)
    return ops.cast(ops.equal(y_true, predicted_labels), config.floatx())


class BinaryAccuracy(MeanMetricWrapper):
    """The fraction of 0/1 labels matched by `y_pred > threshold`.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.
        threshold: predictions above it count as 1.

    Example:
        >>> m = BinaryAccuracy()
        >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1.0], [0.0], [0.6]])
        >>> m.result()
        tensor(0.7500)
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}
