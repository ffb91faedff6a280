"""Learning rate schedules: give an optimizer one of these instead of a float.

    >>> from minilib import optimizers
    >>> schedule = optimizers.schedules.ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.9)
    >>> optimizer = optimizers.SGD(learning_rate=schedule)

`serialize` and `deserialize` turn a schedule into a plain dict and back:

    >>> config = optimizers.schedules.serialize(schedule)
    >>> config["class_name"], config["config"]["decay_rate"]
    ('ExponentialDecay', 0.9)
    >>> optimizers.schedules.deserialize(config)(1000)
    0.09000000000000001
"""

from minilib.optimizers.schedules.cosine_decay import CosineDecay
from minilib.optimizers.schedules.exponential_decay import ExponentialDecay
from minilib.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from minilib.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay
from minilib.serialization.named_family import NamedFamily

_family = NamedFamily(
    "learning rate schedule",
    {cls.__name__: cls for cls in (CosineDecay, ExponentialDecay, PiecewiseConstantDecay)},
    base_class=LearningRateSchedule,
)
serialize = _family.serialize
deserialize = _family.deserialize


__all__ = [
    "CosineDecay", "ExponentialDecay", "LearningRateSchedule", "PiecewiseConstantDecay",
    "deserialize", "serialize",
]
