"""AdamW: Adam with decoupled weight decay switched on by default.

Each step first shrinks every weight, then takes the ordinary Adam step::

    w <- w - learning_rate * weight_decay * w
    w <- Adam step of w

Unlike adding `weight_decay * w` to the gradient (L2 regularization), the
shrinking is not divided by `sqrt(v)`, so all weights decay at the same rate
(Loshchilov & Hutter, 2019).
"""

from minilib.optimizers.adam import Adam


class AdamW(Adam):
    """Adam with decoupled weight decay.

    Args:
        learning_rate: a float or a `LearningRateSchedule`.
        weight_decay: how much of each weight is removed per unit of learning rate.
        beta_1, beta_2, epsilon, amsgrad: see `Adam`.
        clipnorm, clipvalue, global_clipnorm, name: see `Optimizer`.

    Example::

        >>> optimizer = AdamW(learning_rate=1e-3, weight_decay=0.01)
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None):
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: None")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, name=name)
