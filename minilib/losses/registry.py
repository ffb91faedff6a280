"""Finding losses by name: `get`, `serialize` and `deserialize`."""

import difflib
import inspect

from minilib.losses.binary_crossentropy import BinaryCrossentropy, binary_crossentropy
from minilib.losses.categorical_crossentropy import (
    CategoricalCrossentropy,
    categorical_crossentropy,
)
from minilib.losses.cosine_similarity import CosineSimilarity, cosine_similarity
from minilib.losses.hinge import Hinge, hinge
from minilib.losses.huber import Huber, huber
from minilib.losses.kl_divergence import KLDivergence, kl_divergence
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.mean_absolute_error import MeanAbsoluteError, mean_absolute_error
from minilib.losses.mean_absolute_percentage_error import (
    MeanAbsolutePercentageError,
    mean_absolute_percentage_error,
)
from minilib.losses.mean_squared_error import MeanSquaredError, mean_squared_error
from minilib.losses.sparse_categorical_crossentropy import (
    SparseCategoricalCrossentropy,
    sparse_categorical_crossentropy,
)

_CLASSES = (
    Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    Huber, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    KLDivergence, Hinge, CosineSimilarity,
)
_FUNCTIONS = (
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error, huber,
    binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
    kl_divergence, hinge, cosine_similarity,
)
_ABBREVIATIONS = {
    "mse": mean_squared_error, "mae": mean_absolute_error,
    "mape": mean_absolute_percentage_error, "kld": kl_divergence, "bce": binary_crossentropy,
}

ALL_LOSSES = {
    **{cls.__name__: cls for cls in _CLASSES},
    **{fn.__name__: fn for fn in _FUNCTIONS},
    **_ABBREVIATIONS,
    **{short.upper(): fn for short, fn in _ABBREVIATIONS.items()},
}
"""Every name `get` understands, mapped to its class or function."""


def _lookup(name, custom_objects=None):
    known = {**ALL_LOSSES, **(custom_objects or {})}
    if name in known:
        return known[name]
    close = difflib.get_close_matches(name, known, n=1)
    suggestion = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"Unknown loss {name!r}.{suggestion} "
                     f"Valid names: {', '.join(sorted(known))}.")


def get(identifier):
    """Return the loss that `identifier` names, ready to call as `loss(y_true, y_pred)`.

    `model.compile(loss="mse")` works because `get("mse")` looks the string up
    in `ALL_LOSSES`. As in Keras, the name of a *function* (`"mean_squared_error"`,
    `"mse"`) gives that function, and the name of a *class* (`"MeanSquaredError"`)
    gives a new instance with default arguments.

    Args:
        identifier: `None`; a name such as `"mse"`, `"mean_squared_error"` or
            `"MeanSquaredError"`; a `Loss` class or instance; a function
            `f(y_true, y_pred)`; or a config dict as made by `serialize`.

    Returns:
        A function or a `Loss` instance (`None` for `None`).

    Example:

    >>> minilib.losses.get("mse")
    <function mean_squared_error at ...>
    >>> minilib.losses.get("MeanSquaredError")
    <MeanSquaredError name=mean_squared_error>
    >>> minilib.losses.get({"class_name": "CategoricalCrossentropy",
    ...                     "config": {"from_logits": True}}).from_logits
    True
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = _lookup(identifier)
    else:
        found = identifier
    if inspect.isclass(found):
        found = found()
    if not callable(found):
        raise ValueError(f"Could not interpret loss identifier {identifier!r}: expected a "
                         "name, a function, a Loss instance or a config dict.")
    return found


def serialize(loss):
    """Return a JSON-friendly dict that `deserialize` turns back into `loss`.

    A `Loss` instance is stored as its class name and `get_config()`; a
    function as its name.

    Example:

    >>> minilib.losses.serialize(minilib.losses.Huber(delta=2.0))
    {'module': 'minilib.losses', 'class_name': 'Huber',
     'config': {'name': 'huber_loss', 'reduction': 'sum_over_batch_size', 'delta': 2.0}}
    >>> minilib.losses.serialize(minilib.losses.mean_squared_error)
    {'module': 'minilib.losses', 'class_name': 'function', 'config': 'mean_squared_error'}
    """
    if isinstance(loss, Loss):
        return {"module": "minilib.losses", "class_name": type(loss).__name__,
                "config": loss.get_config()}
    return {"module": "minilib.losses", "class_name": "function", "config": loss.__name__}


def deserialize(config, custom_objects=None):
    """Rebuild a loss from `serialize`'s dict (or from a name).

    Args:
        config: a dict `{"class_name": ..., "config": ...}` or a name.
        custom_objects: a dict of your own loss classes and functions by name.

    Example:

    >>> huber = minilib.losses.deserialize(
    ...     {"class_name": "Huber", "config": {"delta": 2.0}})
    >>> huber, huber.delta
    (<Huber name=huber_loss>, 2.0)
    >>> def my_loss(y_true, y_pred):
    ...     return ops.mean(ops.abs(y_true - y_pred), axis=-1)
    >>> minilib.losses.deserialize("my_loss", custom_objects={"my_loss": my_loss}) is my_loss
    True
    """
    if isinstance(config, str):
        found = _lookup(config, custom_objects)
        return found() if inspect.isclass(found) else found
    if config["class_name"] == "function":
        return _lookup(config["config"], custom_objects)
    cls = _lookup(config["class_name"], custom_objects)
    return cls.from_config(config.get("config") or {})
