"""minilib.metrics: what training logs report, with Keras's names, arguments and numbers.

A metric accumulates over batches and reports the value for everything seen
since the last reset::

    >>> from minilib import metrics
    >>> m = metrics.SparseCategoricalAccuracy()
    >>> m.update_state([1, 2], [[0.1, 0.8, 0.1], [0.5, 0.3, 0.2]])   # batch 1
    >>> m.update_state([0], [[0.9, 0.05, 0.05]])                     # batch 2
    >>> m.result()
    tensor(0.6667)

One file per metric (the three regression errors share `regression.py`); `metric.py` has
the base class, `confusion.py` the counting shared by Precision, Recall and AUC,
`confusion_ratio.py` the rest of Precision and Recall, and `resolve.py` the rules
`compile(metrics=["accuracy"])` follows. As in Keras, the loss functions are metric
functions too: `metrics=[minilib.metrics.huber]`.
"""

# Keras offers its loss functions as metric functions too (`metrics=[keras.metrics.huber]`).
from minilib.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    hinge,
    huber,
    kl_divergence,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    sparse_categorical_crossentropy,
)
from minilib.metrics.accuracy import Accuracy, accuracy
from minilib.metrics.auc import AUC
from minilib.metrics.binary_accuracy import BinaryAccuracy, binary_accuracy
from minilib.metrics.categorical_accuracy import CategoricalAccuracy, categorical_accuracy
from minilib.metrics.crossentropy import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
)
from minilib.metrics.f_score import F1Score, FBetaScore
from minilib.metrics.mean import Mean
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper
from minilib.metrics.metric import Metric
from minilib.metrics.precision import Precision
from minilib.metrics.recall import Recall
from minilib.metrics.registry import ALL_METRICS, deserialize, get, serialize
from minilib.metrics.regression import (
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
)
from minilib.metrics.resolve import resolve_metric
from minilib.metrics.root_mean_squared_error import RootMeanSquaredError
from minilib.metrics.sparse_categorical_accuracy import (
    SparseCategoricalAccuracy,
    sparse_categorical_accuracy,
)
from minilib.metrics.sparse_top_k_categorical_accuracy import (
    SparseTopKCategoricalAccuracy,
    sparse_top_k_categorical_accuracy,
)
from minilib.metrics.sum import Sum
from minilib.metrics.top_k_categorical_accuracy import (
    TopKCategoricalAccuracy,
    top_k_categorical_accuracy,
)

__all__ = [
    "ALL_METRICS", "AUC", "Accuracy", "BinaryAccuracy", "BinaryCrossentropy",
    "CategoricalAccuracy", "CategoricalCrossentropy", "F1Score", "FBetaScore", "Mean",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanMetricWrapper", "MeanSquaredError",
    "Metric", "Precision", "Recall", "RootMeanSquaredError", "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy", "SparseTopKCategoricalAccuracy", "Sum",
    "TopKCategoricalAccuracy", "accuracy", "binary_accuracy", "binary_crossentropy",
    "categorical_accuracy", "categorical_crossentropy", "deserialize", "get", "hinge", "huber",
    "kl_divergence", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "resolve_metric", "serialize", "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]
