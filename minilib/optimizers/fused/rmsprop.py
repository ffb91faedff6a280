"""RMSprop's update for all variables at once: the fast twin of `RMSprop.update_step`."""

import torch


def rmsprop_step(variables, grads, velocities, momentums, average_gradients, learning_rate, rho,
                 momentum, epsilon):
    """One RMSprop step on lists of tensors, in place (see `minilib/optimizers/rmsprop.py`).

    Args:
        variables, grads: the variables and their gradients, in the same order.
        velocities: the squared-gradient averages `v`, one per variable.
        momentums: the velocities `mom` (used when `momentum > 0`).
        average_gradients: the gradient averages `a` for `centered=True`, or None.
        learning_rate, rho, momentum, epsilon: Python numbers, as in `RMSprop`.

    Example::

        >>> w, v = [torch.tensor([1.0])], [torch.zeros(1)]
        >>> rmsprop_step(w, [torch.tensor([2.0])], v, [], None, learning_rate=0.1, rho=0.9,
        ...              momentum=0.0, epsilon=0.0)
        >>> w[0]  # the first step is lr / sqrt(1 - rho)
        tensor([0.6838])
    """
    torch._foreach_mul_(velocities, rho)
    torch._foreach_addcmul_(velocities, grads, grads, value=1 - rho)
    if average_gradients is not None:
        torch._foreach_lerp_(average_gradients, grads, 1 - rho)
        rms = torch._foreach_addcmul(velocities, average_gradients, average_gradients, value=-1)
        torch._foreach_add_(rms, epsilon)
    else:
        rms = torch._foreach_add(velocities, epsilon)
    torch._foreach_sqrt_(rms)
    if momentum > 0:
        torch._foreach_mul_(momentums, momentum)
        torch._foreach_addcdiv_(momentums, grads, rms, value=learning_rate)
        torch._foreach_sub_(variables, momentums)
    else:
        torch._foreach_addcdiv_(variables, grads, rms, value=-learning_rate)
