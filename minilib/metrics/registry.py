"""Finding metrics by name: `get`, `serialize` and `deserialize`."""

import inspect

from minilib.backend.naming import to_snake_case
from minilib.losses.registry import ALL_LOSSES
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
from minilib.metrics.regression import (
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
)
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
from minilib.serialization.named_family import NamedFamily

_CLASSES = (
    Metric, Mean, Sum, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy,
    SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, RootMeanSquaredError,
    Precision, Recall, AUC, FBetaScore, F1Score, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
)

ALL_METRICS = {
    **{cls.__name__: cls for cls in _CLASSES},
    **{to_snake_case(cls.__name__): cls for cls in _CLASSES},
    "mse": MeanSquaredError, "MSE": MeanSquaredError,
    "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
    "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy,
}
"""Every name `get` understands, mapped to its class."""

_FUNCTIONS = (
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy,
)


_family = NamedFamily(
    "metric", ALL_METRICS, base_class=Metric,
    # A saved function may be a loss function too: compile(metrics=[losses.huber]).
    functions={**{fn.__name__: fn for fn in _FUNCTIONS},
               **{name: fn for name, fn in ALL_LOSSES.items() if not inspect.isclass(fn)}},
)
serialize = _family.serialize
deserialize = _family.deserialize


def get(identifier):
    """Return the metric that `identifier` names.

    `model.compile(metrics=["mae"])` works because `get("mae")` looks the string
    up in `ALL_METRICS`. As in Keras, a metric name gives a new metric object,
    whether it is the class name (`"MeanAbsoluteError"`), its snake_case form
    (`"mean_absolute_error"`) or an abbreviation (`"mae"`). The string
    `"accuracy"` is special in `compile`: see `resolve_metric`. `serialize`
    and `deserialize` save and rebuild a metric (see
    `minilib.serialization.NamedFamily`).

    Args:
        identifier: `None`; a name such as `"mae"`, `"mean_absolute_error"` or
            `"MeanAbsoluteError"`; a `Metric` class or instance; a function
            `f(y_true, y_pred)`; or a config dict as made by `serialize`.

    Returns:
        A `Metric` instance, or the function itself (`None` for `None`).

    Example:

    >>> minilib.metrics.get("mae")
    <MeanAbsoluteError name=mean_absolute_error>
    >>> minilib.metrics.get({"class_name": "FBetaScore", "config": {"beta": 0.5}}).beta
    0.5
    >>> minilib.metrics.serialize(minilib.metrics.MeanAbsoluteError())
    {'module': 'keras.metrics', 'class_name': 'MeanAbsoluteError',
     'config': {'name': 'mean_absolute_error', 'dtype': 'float32'}, 'registered_name': None}
    """
    return _family.get(identifier)
