"""Adagrad's update for all variables at once: the fast twin of `Adagrad.update_step`."""

import torch


def adagrad_step(variables, grads, accumulators, learning_rate, epsilon):
    """One Adagrad step on lists of tensors, in place (see `minilib/optimizers/adagrad.py`).

    Args:
        variables, grads: the variables and their gradients, in the same order.
        accumulators: the running sums of squared gradients, one per variable.
        learning_rate, epsilon: Python numbers, as in `Adagrad`.

    Example::

        >>> w, accumulators = [torch.tensor([1.0])], [torch.zeros(1)]
        >>> adagrad_step(w, [torch.tensor([2.0])], accumulators, learning_rate=0.1, epsilon=0.0)
        >>> w[0], accumulators[0]
        (tensor([0.9000]), tensor([4.]))
    """
    torch._foreach_addcmul_(accumulators, grads, grads)
    denominators = torch._foreach_add(accumulators, epsilon)
    torch._foreach_sqrt_(denominators)
    torch._foreach_addcdiv_(variables, grads, denominators, value=-learning_rate)
