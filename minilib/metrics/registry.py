"""Finding metrics by name: `get`, `serialize` and `deserialize`."""

import difflib
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


def _lookup(name, known, kind):
    if name in known:
        return known[name]
    close = difflib.get_close_matches(name, known, n=1)
    suggestion = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"Unknown {kind} {name!r}.{suggestion} "
                     f"Valid names: {', '.join(sorted(known))}.")


def metric_function(name):
    """Return the metric (or loss) function called `name`, as saved by `MeanMetricWrapper`."""
    functions = {fn.__name__: fn for fn in _FUNCTIONS}
    functions.update({key: fn for key, fn in ALL_LOSSES.items() if not inspect.isclass(fn)})
    return _lookup(name, functions, "metric function")


def get(identifier):
    """Return the metric that `identifier` names.

    `model.compile(metrics=["mae"])` works because `get("mae")` looks the string
    up in `ALL_METRICS`. As in Keras, a metric name gives a new metric object,
    whether it is the class name (`"MeanAbsoluteError"`), its snake_case form
    (`"mean_absolute_error"`) or an abbreviation (`"mae"`). The string
    `"accuracy"` is special in `compile`: see `resolve_metric`.

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
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = _lookup(identifier, ALL_METRICS, "metric")
    else:
        found = identifier
    if inspect.isclass(found):
        found = found()
    if not callable(found) and not isinstance(found, Metric):
        raise ValueError(f"Could not interpret metric identifier {identifier!r}: expected a "
                         "name, a function, a Metric instance or a config dict.")
    return found


def serialize(metric):
    """Return a JSON-friendly dict (class name and `get_config()`) for `deserialize`.

    A metric function is stored by its name.

    Example:

    >>> minilib.metrics.serialize(minilib.metrics.MeanAbsoluteError())
    {'module': 'minilib.metrics', 'class_name': 'MeanAbsoluteError',
     'config': {'name': 'mean_absolute_error', 'dtype': 'float32'}}
    >>> minilib.metrics.serialize(minilib.metrics.binary_accuracy)
    {'module': 'minilib.metrics', 'class_name': 'function', 'config': 'binary_accuracy'}
    """
    if isinstance(metric, Metric):
        return {"module": "minilib.metrics", "class_name": type(metric).__name__,
                "config": metric.get_config()}
    return {"module": "minilib.metrics", "class_name": "function", "config": metric.__name__}


def deserialize(config, custom_objects=None):
    """Rebuild a metric from `serialize`'s dict (or from a name).

    Args:
        config: a dict `{"class_name": ..., "config": ...}` or a name.
        custom_objects: a dict of your own metric classes and functions by name.

    Example:

    >>> fbeta = minilib.metrics.deserialize({"class_name": "FBetaScore",
    ...                                      "config": {"beta": 0.5}})
    >>> fbeta, fbeta.beta
    (<FBetaScore name=fbeta_score>, 0.5)
    >>> minilib.metrics.deserialize("binary_accuracy")     # a name works too
    <BinaryAccuracy name=binary_accuracy>
    """
    known = {**ALL_METRICS, **(custom_objects or {})}
    if isinstance(config, str):
        found = _lookup(config, known, "metric")
        return found() if inspect.isclass(found) else found
    if config["class_name"] == "function":
        name = config["config"]
        return custom_objects[name] if name in (custom_objects or {}) else metric_function(name)
    cls = _lookup(config["class_name"], known, "metric")
    return cls.from_config(config.get("config") or {})
