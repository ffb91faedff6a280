"""Adagrad: per-weight learning rates that shrink as squared gradients pile up.

The slot `accumulator` starts at `initial_accumulator_value` and only grows::

    accumulator <- accumulator + g**2
    w <- w - learning_rate * g / sqrt(accumulator + epsilon)

Weights that often get large gradients slow down; rarely updated ones keep
large steps. (Keras puts `epsilon` inside the square root; torch.optim.Adagrad
adds it after taking the root.)
"""

from minilib.optimizers.fused import adagrad_step
from minilib.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """The Adagrad optimizer (Duchi et al., 2011).

    Args:
        learning_rate: a float or a `LearningRateSchedule`.
        initial_accumulator_value: the starting value of every accumulator (> 0 keeps
            the first steps finite).
        epsilon: added inside the square root, to avoid dividing by zero.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example::

        >>> optimizer = Adagrad(learning_rate=0.01)
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name=None):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(
            variables, "accumulator", initializer=self.initial_accumulator_value
        )

    def update_step(self, gradient, variable, learning_rate):
        accumulator = self._accumulators[self._get_variable_index(variable)]
        # accumulator <- accumulator + g**2
        accumulator.addcmul_(gradient, gradient)
        # w <- w - lr * g / sqrt(accumulator + epsilon)
        variable.addcdiv_(gradient, accumulator.add(self.epsilon).sqrt_(), value=-learning_rate)

    def _fused_update_step(self, grads, variables, learning_rate):
        # The fast path: the rule above for all variables at once (see fused/).
        adagrad_step(variables, grads, self._slots_of(self._accumulators, variables),
                     learning_rate, self.epsilon)

    def get_config(self):
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
