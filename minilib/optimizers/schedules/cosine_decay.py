"""CosineDecay: lower the learning rate along half a cosine wave, with optional warmup.

Without warmup, over `decay_steps` steps::

    decayed(step) = 0.5 * (1 + cos(pi * step / decay_steps))      # from 1 down to 0
    lr(step) = initial_learning_rate * ((1 - alpha) * decayed(step) + alpha)

and the rate then stays at `alpha * initial_learning_rate`.

With `warmup_target`, the rate first climbs in a straight line from
`initial_learning_rate` to `warmup_target` over `warmup_steps` steps, then
decays as above starting from `warmup_target`.
"""

import math

from minilib.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class CosineDecay(LearningRateSchedule):
    """A learning rate that follows a cosine curve down to `alpha` times its start.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: how many steps the decay lasts (positive).
        alpha: the final rate as a fraction of the rate the decay starts from.
        name: a name for the schedule.
        warmup_target: if set, the rate reached at the end of the warmup.
        warmup_steps: how many steps the warmup lasts.

    Example::

        >>> schedule = CosineDecay(0.1, decay_steps=100)
        >>> schedule(50)  # half way down
        0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        if decay_steps <= 0:
            raise ValueError(f"`decay_steps` must be > 0. Received: decay_steps={decay_steps}")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = float(step)
        if self.warmup_target is None:
            return self._decay(min(step, self.decay_steps), self.initial_learning_rate)
        step = min(step, self.warmup_steps + self.decay_steps)
        if step < self.warmup_steps:
            climb = self.warmup_target - self.initial_learning_rate
            return self.initial_learning_rate + climb * step / self.warmup_steps
        return self._decay(step - self.warmup_steps, self.warmup_target)

    def _decay(self, step, start_learning_rate):
        cosine = 0.5 * (1.0 + math.cos(math.pi * step / self.decay_steps))
        return start_learning_rate * ((1.0 - self.alpha) * cosine + self.alpha)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }
