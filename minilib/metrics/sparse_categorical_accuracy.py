"""Sparse categorical accuracy: how often the most likely class is the integer label.

    sparse_categorical_accuracy = mean(argmax(y_pred) == y_true)

The metric for a softmax classifier trained on labels such as `[3, 0, 7]`,
of shape `(batch,)` or `(batch, 1)`.
"""

from minilib import ops
from minilib.backend import config
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper


def sparse_categorical_accuracy(y_true, y_pred):
    """Return 1.0 where `argmax(y_pred)` equals the integer label, else 0.0.

    Example:
        >>> sparse_categorical_accuracy([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
        tensor([0., 1.])
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    # Cheap shape check: one-hot labels here would be compared element-wise into nonsense.
    if y_true.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"SparseCategoricalAccuracy expects integer class labels of shape "
            f"{tuple(y_pred.shape[:-1])} or {(*y_pred.shape[:-1], 1)} for y_pred of shape "
            f"{tuple(y_pred.shape)}, but got y_true of shape {tuple(y_true.shape)}. For "
            "one-hot labels use CategoricalAccuracy (metrics=['categorical_accuracy']).")
    predicted_classes = ops.cast(ops.argmax(y_pred, axis=-1), y_true.dtype)
    return ops.cast(ops.equal(y_true, predicted_classes), config.floatx())


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """The fraction of samples whose most likely class is their integer label.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}
