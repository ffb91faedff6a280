"""Sparse top-k categorical accuracy: how often the integer label is among the k likeliest.

    sparse_top_k_categorical_accuracy = mean(y_true in top_k(y_pred, k))

The same as `top_k_categorical_accuracy`, for labels such as `[3, 0, 7]`.
A class whose score ties with the k-th largest counts as in the top k.
"""

from minilib import ops
from minilib.backend import config
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Return 1.0 where the integer label is among the `k` highest scores, else 0.0.

    The result has the shape of `y_true`: `(batch,)` or `(batch, 1)`.

    Example:
        >>> sparse_top_k_categorical_accuracy([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1)
        tensor([0., 1.])
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    # in_top_k works on rows, so labels (batch, 1) or sequences are flattened and restored.
    matches = ops.in_top_k(ops.reshape(y_true, (-1,)),
                           ops.reshape(y_pred, (-1, y_pred.shape[-1])), k)
    return ops.cast(ops.reshape(matches, y_true.shape), config.floatx())


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """The fraction of samples whose integer label is among the `k` likeliest classes.

    Args:
        k: how many of the highest scores count as a hit.
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = SparseTopKCategoricalAccuracy(k=1)
        >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}
