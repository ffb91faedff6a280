"""Categorical accuracy: how often the most likely class is the one-hot label's class.

    categorical_accuracy = mean(argmax(y_pred) == argmax(y_true))

The metric for a softmax classifier trained on one-hot labels. Logits work
as well as probabilities: both have the same argmax.
"""

from minilib import ops
from minilib.backend import config
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper


def categorical_accuracy(y_true, y_pred):
    """Return 1.0 where `argmax(y_pred) == argmax(y_true)` along the last axis, else 0.0.

    Example:
        >>> categorical_accuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        tensor([0., 1.])
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    # Cheap shape check: integer labels here would be argmax-ed into nonsense silently.
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"CategoricalAccuracy expects one-hot labels y_true with the same shape as y_pred "
            f"{tuple(y_pred.shape)}, but got y_true of shape {tuple(y_true.shape)}. For "
            "integer class labels use SparseCategoricalAccuracy "
            "(metrics=['sparse_categorical_accuracy']).")
    matches = ops.equal(ops.argmax(y_true, axis=-1), ops.argmax(y_pred, axis=-1))
    return ops.cast(matches, config.floatx())


class CategoricalAccuracy(MeanMetricWrapper):
    """The fraction of samples whose most likely class is the one-hot label's class.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = CategoricalAccuracy()
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
