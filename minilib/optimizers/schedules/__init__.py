"""Learning rate schedules: give an optimizer one of these instead of a float.

    >>> from minilib import optimizers
    >>> schedule = optimizers.schedules.ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.9)
    >>> optimizer = optimizers.SGD(learning_rate=schedule)

`serialize` and `deserialize` turn a schedule into a plain dict and back.
"""

from minilib.optimizers.schedules.cosine_decay import CosineDecay
from minilib.optimizers.schedules.exponential_decay import ExponentialDecay
from minilib.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from minilib.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay

_BUILT_IN = {cls.__name__: cls for cls in (CosineDecay, ExponentialDecay, PiecewiseConstantDecay)}


def serialize(learning_rate_schedule):
    """A schedule as a dict: `{"module", "class_name", "config"}`."""
    return {
        "module": "minilib.optimizers.schedules",
        "class_name": type(learning_rate_schedule).__name__,
        "config": learning_rate_schedule.get_config(),
    }


def deserialize(config, custom_objects=None):
    """Rebuild a schedule from `serialize`'s dict.

    Args:
        config: the dict.
        custom_objects: `{"ClassName": cls}` for your own schedule classes.
    """
    known = {**_BUILT_IN, **(custom_objects or {})}
    class_name = config["class_name"]
    if class_name not in known:
        raise ValueError(
            f"Unknown learning rate schedule {class_name!r}. Built-in schedules: "
            f"{sorted(_BUILT_IN)}; pass your own classes in `custom_objects`."
        )
    return known[class_name].from_config(config["config"])


__all__ = [
    "CosineDecay", "ExponentialDecay", "LearningRateSchedule", "PiecewiseConstantDecay",
    "deserialize", "serialize",
]
