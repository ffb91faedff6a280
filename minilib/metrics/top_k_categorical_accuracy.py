"""Top-k categorical accuracy: how often the one-hot label's class is among the k likeliest.

    top_k_categorical_accuracy = mean(argmax(y_true) in top_k(y_pred, k))

"Top-5 accuracy" on ImageNet is this metric with `k=5`. A class whose score
ties with the k-th largest counts as in the top k.
"""

from minilib import ops
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper
from minilib.metrics.sparse_top_k_categorical_accuracy import sparse_top_k_categorical_accuracy


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Return 1.0 where the one-hot label's class is among the `k` highest scores, else 0.0.

    It is `sparse_top_k_categorical_accuracy` of the labels' class indices.

    Example:
        >>> top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]],
        ...                            [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], k=1)
        tensor([0., 1.])
    """
    labels = ops.argmax(ops.convert_to_tensor(y_true), axis=-1)
    return sparse_top_k_categorical_accuracy(labels, y_pred, k)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """The fraction of samples whose one-hot label's class is among the `k` likeliest.

    Args:
        k: how many of the highest scores count as a hit.
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = TopKCategoricalAccuracy(k=1)
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}
