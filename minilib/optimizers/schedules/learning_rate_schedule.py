"""LearningRateSchedule: a learning rate that changes as training goes on.

An optimizer given a schedule instead of a float calls `schedule(step)` once
per update, where `step` is the number of updates done so far (0 for the first
one), and uses the result as that update's learning rate.

Write your own by subclassing::

    >>> class InverseStep(LearningRateSchedule):
    ...     def __init__(self, initial_learning_rate):
    ...         self.initial_learning_rate = initial_learning_rate
    ...     def __call__(self, step):
    ...         return self.initial_learning_rate / (step + 1)
    ...     def get_config(self):
    ...         return {"initial_learning_rate": self.initial_learning_rate}
    >>> InverseStep(0.1)(4)
    0.02
"""


class LearningRateSchedule:
    """Base class of learning rate schedules: implement `__call__` and `get_config`."""

    def __call__(self, step):
        """The learning rate (a float) for the update after `step` updates."""
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must implement `__call__(step)`."
        )

    def get_config(self):
        """The constructor arguments as a dict, so that `from_config` can rebuild it."""
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must implement `get_config()`."
        )

    @classmethod
    def from_config(cls, config):
        """Create a schedule from the dict that `get_config` returned."""
        return cls(**config)
