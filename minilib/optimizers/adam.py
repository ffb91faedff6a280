"""Adam: gradient descent scaled by running averages of the gradient and its square.

Each variable has two slots, both starting at zero: `m` averages the gradients
(a momentum) and `v` averages the squared gradients (how large they usually are).
At update number t = 1, 2, 3, ...::

    m <- beta_1 * m + (1 - beta_1) * g
    v <- beta_2 * v + (1 - beta_2) * g**2
    alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)
    w <- w - alpha * m / (sqrt(v) + epsilon)

`alpha` folds in the bias correction: `m` and `v` start at zero, so early on
they underestimate the averages by the factors `1 - beta**t`. (Keras adds
`epsilon` to `sqrt(v)` *before* that correction; torch.optim.Adam adds it after,
so the two differ slightly while `sqrt(v)` is tiny.)

With `amsgrad=True`, a third slot `v_hat` keeps the largest `v` seen so far and
replaces `v` in the last line, so the step size never grows back.
"""

import math

import torch

from minilib.optimizers.fused import adam_step
from minilib.optimizers.optimizer import Optimizer


class Adam(Optimizer):
    """The Adam optimizer (Kingma & Ba, 2014), with the optional AMSGrad variant.

    Args:
        learning_rate: a float or a `LearningRateSchedule`.
        beta_1: decay rate of the gradient average `m`.
        beta_2: decay rate of the squared-gradient average `v`.
        epsilon: added to `sqrt(v)` to avoid dividing by zero.
        amsgrad: whether to use the AMSGrad variant.
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example::

        >>> import torch
        >>> from minilib.backend import Variable
        >>> w = Variable([1.0])
        >>> Adam(learning_rate=0.1).apply([torch.tensor([5.0])], [w])
        >>> w.numpy().round(4)  # the first Adam step moves each weight by about lr
        array([0.9], dtype=float32)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._velocities[index]
        # alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t), at update number t
        alpha = self._bias_corrected(learning_rate)
        # m <- m + (1 - beta_1) * (g - m)
        m.lerp_(gradient, 1 - self.beta_1)
        # v <- beta_2 * v + (1 - beta_2) * g**2
        v.mul_(self.beta_2).addcmul_(gradient, gradient, value=1 - self.beta_2)
        if self.amsgrad:
            # v_hat <- max(v_hat, v), and use it in place of v
            v_hat = self._velocity_hats[index]
            torch.maximum(v_hat, v, out=v_hat)
            v = v_hat
        # w <- w - alpha * m / (sqrt(v) + epsilon)
        variable.addcdiv_(m, v.sqrt().add_(self.epsilon), value=-alpha)

    def _bias_corrected(self, learning_rate):
        """`alpha` of update number t: `learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)`."""
        t = self._completed_steps + 1
        return learning_rate * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)

    def _fused_update_step(self, grads, variables, learning_rate):
        # The fast path: the rule above for all variables at once (see fused/).
        adam_step(
            variables, grads,
            self._slots_of(self._momentums, variables),
            self._slots_of(self._velocities, variables),
            self._slots_of(self._velocity_hats, variables) if self.amsgrad else None,
            self._bias_corrected(learning_rate), self.beta_1, self.beta_2, self.epsilon,
        )

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }
