"""Optimizers: the rules that turn gradients into updates of a model's variables.

Pick one by object or by name::

    >>> from minilib import optimizers
    >>> optimizer = optimizers.Adam(learning_rate=1e-3)
    >>> optimizer = optimizers.get("sgd")  # an SGD with the default settings
    >>> optimizer.get_config()["learning_rate"]
    0.01

`serialize` turns an optimizer into a plain dict of its settings and
`deserialize` (or `get`) builds a fresh one from such a dict.
"""

from minilib.optimizers import schedules
from minilib.optimizers.adagrad import Adagrad
from minilib.optimizers.adam import Adam
from minilib.optimizers.adamw import AdamW
from minilib.optimizers.optimizer import Optimizer
from minilib.optimizers.rmsprop import RMSprop
from minilib.optimizers.sgd import SGD

_BY_NAME = {cls.__name__.lower(): cls for cls in (Adagrad, Adam, AdamW, RMSprop, SGD)}


def serialize(optimizer):
    """An optimizer's settings as a dict: `{"module", "class_name", "config"}`.

    The dict is plain data (it can go into JSON); `deserialize` builds a fresh
    optimizer from it. The state of the slots (Adam's moving averages) is not in it.

    Example:

    >>> config = minilib.optimizers.serialize(minilib.optimizers.SGD(momentum=0.9))
    >>> config["class_name"], config["config"]["momentum"]
    ('SGD', 0.9)
    """
    return {
        "module": "minilib.optimizers",
        "class_name": type(optimizer).__name__,
        "config": optimizer.get_config(),
    }


def deserialize(config, custom_objects=None):
    """A new optimizer built from `serialize`'s dict (class names are case-insensitive).

    Args:
        config: the dict.
        custom_objects: `{"ClassName": cls}` for your own optimizer classes.

    Example:

    >>> adam = minilib.optimizers.deserialize(
    ...     {"class_name": "adam", "config": {"learning_rate": 0.002}})
    >>> type(adam).__name__, adam.get_config()["learning_rate"]
    ('Adam', 0.002)
    """
    class_name = config["class_name"]
    custom_objects = custom_objects or {}
    cls = custom_objects.get(class_name) or _BY_NAME.get(class_name.lower())
    if cls is None:
        raise ValueError(
            f"Unknown optimizer {class_name!r}. Valid names are: {', '.join(sorted(_BY_NAME))} "
            "(or pass your own class in `custom_objects`)."
        )
    return cls.from_config(config["config"], custom_objects=custom_objects)


def get(identifier):
    """An optimizer from a name (`"adam"`), a `serialize` dict, or an optimizer (returned as is).

    `None` gives `None`. This is how `model.compile(optimizer="adam")` finds its optimizer:
    a name gives a new optimizer with the default settings.

    Example:

    >>> type(minilib.optimizers.get("rmsprop")).__name__
    'RMSprop'
    >>> sgd = minilib.optimizers.SGD(learning_rate=0.1)
    >>> minilib.optimizers.get(sgd) is sgd
    True
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")


__all__ = [
    "SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop",
    "deserialize", "get", "schedules", "serialize",
]
