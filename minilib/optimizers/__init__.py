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
from minilib.serialization.named_family import NamedFamily

_family = NamedFamily(
    "optimizer", {cls.__name__: cls for cls in (Adagrad, Adam, AdamW, RMSprop, SGD)},
    base_class=Optimizer, accepts_functions=False, ignore_case=True,
)
serialize = _family.serialize
deserialize = _family.deserialize


def get(identifier):
    """An optimizer from a name (`"adam"`), a `serialize` dict, or an optimizer (returned as is).

    `None` gives `None`. This is how `model.compile(optimizer="adam")` finds its optimizer:
    a name, in any case, gives a new optimizer with the default settings. `serialize`
    gives the settings as a plain dict (not the slots, such as Adam's moving averages)
    and `deserialize` builds a fresh optimizer from it.

    Example:

    >>> type(minilib.optimizers.get("rmsprop")).__name__
    'RMSprop'
    >>> sgd = minilib.optimizers.SGD(learning_rate=0.1)
    >>> minilib.optimizers.get(sgd) is sgd
    True
    >>> config = minilib.optimizers.serialize(minilib.optimizers.SGD(momentum=0.9))
    >>> config["class_name"], config["config"]["momentum"]
    ('SGD', 0.9)
    >>> type(minilib.optimizers.deserialize(config)).__name__
    'SGD'
    """
    return _family.get(identifier)


__all__ = [
    "SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop",
    "deserialize", "get", "schedules", "serialize",
]
