"""PiecewiseConstantDecay: a learning rate that is constant between step boundaries.

With `boundaries=[100, 200]` and `values=[1.0, 0.5, 0.1]`::

    step <= 100         ->  1.0
    100 < step <= 200   ->  0.5
    step > 200          ->  0.1
"""

import bisect

from minilib.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class PiecewiseConstantDecay(LearningRateSchedule):
    """A step function: `values[i]` holds up to and including `boundaries[i]`.

    Args:
        boundaries: increasing step numbers where the rate changes.
        values: the rates, one more than there are boundaries.
        name: a name for the schedule.

    Example::

        >>> schedule = PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
        >>> [schedule(100), schedule(101), schedule(500)]
        [1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "`values` must have exactly one more element than `boundaries`. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, "
                f"and values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        # How many boundaries lie strictly below `step` is the index of its value.
        return self.values[bisect.bisect_left(self.boundaries, float(step))]

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
