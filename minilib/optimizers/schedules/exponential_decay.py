"""ExponentialDecay: multiply the learning rate by `decay_rate` every `decay_steps` steps.

    lr(step) = initial_learning_rate * decay_rate ** (step / decay_steps)

With `staircase=True` the exponent is rounded down, so the rate drops in
jumps instead of smoothly.
"""

import math

from minilib.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class ExponentialDecay(LearningRateSchedule):
    """A learning rate that decays exponentially with the step.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: how many steps one factor of `decay_rate` takes (positive).
        decay_rate: the factor applied every `decay_steps` steps, e.g. 0.96.
        staircase: if True, decay in discrete jumps every `decay_steps` steps.
        name: a name for the schedule.

    Example::

        >>> schedule = ExponentialDecay(0.1, decay_steps=100, decay_rate=0.5)
        >>> schedule(200)
        0.025
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        if decay_steps <= 0:
            raise ValueError(f"`decay_steps` must be > 0. Received: decay_steps={decay_steps}")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        decay_periods = float(step) / self.decay_steps
        if self.staircase:
            decay_periods = math.floor(decay_periods)
        return self.initial_learning_rate * self.decay_rate**decay_periods

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
