"""SGD: stochastic gradient descent, optionally with (Nesterov) momentum.

Plain::

    w <- w - learning_rate * g

With momentum, a velocity `m` (starting at zero) remembers past steps::

    m <- momentum * m - learning_rate * g
    w <- w + m                                      (nesterov=False)
    w <- w + momentum * m - learning_rate * g       (nesterov=True: look one step ahead)
"""

from minilib.optimizers.fused import sgd_step
from minilib.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent with optional momentum.

    Args:
        learning_rate: a float or a `LearningRateSchedule`.
        momentum: a float in [0, 1]; 0 turns momentum off.
        nesterov: whether to use Nesterov momentum.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example::

        >>> import torch
        >>> from minilib.backend import Variable
        >>> w = Variable([1.0, 2.0])
        >>> SGD(learning_rate=0.1).apply([torch.tensor([1.0, 1.0])], [w])
        >>> w.numpy()
        array([0.9, 1.9], dtype=float32)
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name=None):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name)
        if not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float in [0, 1]. Received: {momentum}")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        if self.momentum == 0:
            # w <- w - lr * g
            variable.add_(gradient, alpha=-learning_rate)
            return
        m = self.momentums[self._get_variable_index(variable)]
        # m <- momentum * m - lr * g
        m.mul_(self.momentum).add_(gradient, alpha=-learning_rate)
        if self.nesterov:
            # w <- w + momentum * m - lr * g
            variable.add_(m, alpha=self.momentum).add_(gradient, alpha=-learning_rate)
        else:
            # w <- w + m
            variable.add_(m)

    def _fused_update_step(self, grads, variables, learning_rate):
        # The fast path: the rule above for all variables at once (see fused/).
        momentums = self._slots_of(self.momentums, variables) if self.momentum != 0 else []
        sgd_step(variables, grads, momentums, learning_rate, self.momentum, self.nesterov)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
