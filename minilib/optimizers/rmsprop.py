"""RMSprop: divide each gradient by a running root-mean-square of recent gradients.

The slot `v` (starting at zero) averages the squared gradients::

    v <- rho * v + (1 - rho) * g**2
    increment = learning_rate * g / sqrt(v + epsilon)
    w <- w - increment

`centered=True` also averages the gradients themselves in `a` and divides by an
estimate of their standard deviation instead, `sqrt(v - a**2 + epsilon)`.

`momentum > 0` adds a velocity `mom`: `mom <- momentum * mom + increment`,
`w <- w - mom`.

(Keras puts `epsilon` inside the square root; torch.optim.RMSprop adds it
after taking the root.)
"""

from minilib.optimizers.fused import rmsprop_step
from minilib.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """The RMSprop optimizer (Hinton, 2012).

    Args:
        learning_rate: a float or a `LearningRateSchedule`.
        rho: decay rate of the squared-gradient average.
        momentum: momentum factor; 0 turns momentum off.
        epsilon: added to the average inside the square root, to avoid dividing by zero.
        centered: whether to divide by the gradients' variance instead of their mean square.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example::

        >>> optimizer = RMSprop(learning_rate=1e-3, rho=0.9)
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(variables, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(variables, "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        v = self._velocities[index]
        # v <- rho * v + (1 - rho) * g**2
        v.mul_(self.rho).addcmul_(gradient, gradient, value=1 - self.rho)
        if self.centered:
            a = self._average_gradients[index]
            # a <- rho * a + (1 - rho) * g
            a.lerp_(gradient, 1 - self.rho)
            # rms = sqrt(v - a**2 + epsilon)
            rms = v.addcmul(a, a, value=-1).add_(self.epsilon).sqrt_()
        else:
            # rms = sqrt(v + epsilon)
            rms = v.add(self.epsilon).sqrt_()
        if self.momentum > 0:
            mom = self._momentums[index]
            # mom <- momentum * mom + lr * g / rms;  w <- w - mom
            mom.mul_(self.momentum).addcdiv_(gradient, rms, value=learning_rate)
            variable.sub_(mom)
        else:
            # w <- w - lr * g / rms
            variable.addcdiv_(gradient, rms, value=-learning_rate)

    def _fused_update_step(self, grads, variables, learning_rate):
        # The fast path: the rule above for all variables at once (see fused/).
        rmsprop_step(
            variables, grads,
            self._slots_of(self._velocities, variables),
            self._slots_of(self._momentums, variables) if self.momentum > 0 else [],
            self._slots_of(self._average_gradients, variables) if self.centered else None,
            learning_rate, self.rho, self.momentum, self.epsilon,
        )

    def get_config(self):
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
