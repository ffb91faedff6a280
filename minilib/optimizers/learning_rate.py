"""The learning rate: a fixed number you can change, or a schedule of the step count.

`learning_rate=0.01` makes a Variable `learning_rate` among the optimizer's
variables: it is saved with the model, and a callback such as
`LearningRateScheduler` changes it between epochs with `optimizer.learning_rate = 0.005`.

`learning_rate=schedules.ExponentialDecay(...)` makes no Variable: the rate of each
step is the schedule's value at `iterations`, the number of updates done so far.
Such an optimizer cannot be set to a number later (as in Keras).

`update_step` always receives the rate as a Python float (see `host_copy.py` for why).

>>> optimizer = minilib.optimizers.SGD(learning_rate=0.1)
>>> optimizer.learning_rate = 0.05
>>> round(float(optimizer.learning_rate), 4)
0.05
>>> halving = minilib.optimizers.schedules.ExponentialDecay(
...     initial_learning_rate=0.1, decay_steps=1, decay_rate=0.5)
>>> optimizer = minilib.optimizers.SGD(learning_rate=halving)
>>> _ = optimizer.iterations.assign(2)  # as if two updates were done
>>> optimizer.learning_rate  # 0.1 * 0.5**2
0.025
"""

from minilib.optimizers.host_copy import HostCopy
from minilib.optimizers.schedules import LearningRateSchedule


class LearningRate:
    """The part of `Optimizer` that holds its learning rate (mixed in)."""

    @property
    def learning_rate(self):
        """The learning rate of the next step.

        For a float learning rate this is the `learning_rate` Variable, so
        `float(opt.learning_rate)` reads it. For a schedule it is the schedule's
        value at the current `iterations`, as a float.
        """
        if self._schedule is not None:
            return self._current_learning_rate()
        return self._constant_learning_rate.variable

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self._set_learning_rate(learning_rate)

    def _set_learning_rate(self, learning_rate):
        if isinstance(learning_rate, LearningRateSchedule):
            if self._constant_learning_rate is not None:
                self._variables.remove(self._constant_learning_rate.variable)
                self._constant_learning_rate = None
            self._schedule = learning_rate
            return
        if self._schedule is not None:
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` as its "
                "`learning_rate`, so its learning rate cannot be set to a number. "
                "Create the optimizer with a float `learning_rate` to be able to change it."
            )
        if callable(learning_rate) or isinstance(learning_rate, bool):
            raise TypeError(
                "`learning_rate` must be a float or a `LearningRateSchedule`. "
                f"Received: learning_rate={learning_rate!r}"
            )
        value = float(learning_rate)
        if self._constant_learning_rate is None:
            variable = self.add_variable((), initializer=value, name="learning_rate")
            self._constant_learning_rate = HostCopy(variable, value)
        else:
            self._constant_learning_rate.set(value)

    def _current_learning_rate(self):
        """The learning rate for this step as a Python float."""
        if self._schedule is not None:
            return float(self._schedule(self._iterations.value))
        return self._constant_learning_rate.value
