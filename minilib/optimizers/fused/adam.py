"""Adam's update for all variables at once: the fast twin of `Adam.update_step`."""

import torch


def adam_step(variables, grads, momentums, velocities, velocity_hats, alpha, beta_1, beta_2,
              epsilon):
    """One Adam (or AMSGrad) step on lists of tensors, in place (see `minilib/optimizers/adam.py`).

    Args:
        variables, grads: the variables and their gradients, in the same order.
        momentums, velocities: the slots `m` and `v`, one per variable.
        velocity_hats: the AMSGrad slots `v_hat`, or None for plain Adam.
        alpha: the bias-corrected step size of this step, a Python float.
        beta_1, beta_2, epsilon: as in `Adam`.

    Example::

        >>> w, m, v = [torch.tensor([1.0])], [torch.zeros(1)], [torch.zeros(1)]
        >>> alpha = 0.1 * (1 - 0.999)**0.5 / (1 - 0.9)  # learning rate 0.1, first step
        >>> adam_step(w, [torch.tensor([5.0])], m, v, None, alpha, beta_1=0.9, beta_2=0.999,
        ...           epsilon=1e-7)
        >>> w[0]  # the first Adam step moves each weight by about lr
        tensor([0.9000])
    """
    torch._foreach_lerp_(momentums, grads, 1 - beta_1)
    torch._foreach_mul_(velocities, beta_2)
    torch._foreach_addcmul_(velocities, grads, grads, value=1 - beta_2)
    if velocity_hats is not None:
        torch._foreach_maximum_(velocity_hats, velocities)
        velocities = velocity_hats
    denominators = torch._foreach_sqrt(velocities)
    torch._foreach_add_(denominators, epsilon)
    torch._foreach_addcdiv_(variables, momentums, denominators, value=-alpha)
