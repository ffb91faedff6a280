"""SGD's update for all variables at once: the fast twin of `SGD.update_step`."""

import torch


def sgd_step(variables, grads, momentums, learning_rate, momentum, nesterov):
    """One SGD step on lists of tensors, in place (see `minilib/optimizers/sgd.py`).

    Args:
        variables, grads: the variables and their gradients, in the same order.
        momentums: one velocity per variable (unused when `momentum` is 0).
        learning_rate, momentum, nesterov: Python numbers, as in `SGD`.

    Example::

        >>> w = [torch.tensor([1.0, 2.0])]
        >>> sgd_step(w, [torch.tensor([1.0, 1.0])], [], 0.1, momentum=0.0, nesterov=False)
        >>> w[0]
        tensor([0.9000, 1.9000])
    """
    if momentum == 0:
        torch._foreach_add_(variables, grads, alpha=-learning_rate)
        return
    torch._foreach_mul_(momentums, momentum)
    torch._foreach_add_(momentums, grads, alpha=-learning_rate)
    if nesterov:
        torch._foreach_add_(variables, momentums, alpha=momentum)
        torch._foreach_add_(variables, grads, alpha=-learning_rate)
    else:
        torch._foreach_add_(variables, momentums)
