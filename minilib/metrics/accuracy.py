"""Accuracy: how often the prediction *equals* the label, exactly.

    accuracy = mean(y_pred == y_true)

This compares raw values, so it suits models that output labels. For
probabilities use `BinaryAccuracy` (thresholded), `CategoricalAccuracy` or
`SparseCategoricalAccuracy` (argmax), or simply `metrics=["accuracy"]` in
`compile`, which picks the right one from the shapes (see `resolve_metric`).
"""

from minilib import ops
from minilib.backend import config
from minilib.losses.reduction import squeeze_or_expand_to_same_rank
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper


def accuracy(y_true, y_pred):
    """Return 1.0 where `y_pred == y_true` and 0.0 elsewhere.

    Example:
        >>> accuracy([1, 2, 3, 4], [0, 2, 3, 4])
        tensor([0., 1., 1., 1.])
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.cast(ops.equal(y_true, y_pred), config.floatx())


class Accuracy(MeanMetricWrapper):
    """The fraction of predictions exactly equal to their labels.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> m.result()
        tensor(0.7500)
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
