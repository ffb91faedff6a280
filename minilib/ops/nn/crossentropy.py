"""Crossentropies: how far predicted class probabilities are from the targets.

They are the classification losses of `minilib.losses`, one value per sample::

    >>> from minilib import ops
    >>> ops.sparse_categorical_crossentropy([1], [[0.25, 0.75]])   # -log(0.75)
    tensor([0.2877])

They follow Keras: probabilities are renormalised and clipped to
`[epsilon, 1 - epsilon]` before the log, so a confident wrong guess costs
about 16 rather than infinity; with `from_logits=True` the stable fused torch
functions are used instead.
"""

import torch
import torch.nn.functional as F

from minilib.backend import config
from minilib.ops.core import _convert_all

__all__ = [
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
]


def _check_same_shape(target, output):
    if target.shape != output.shape:
        raise ValueError(f"target and output must have the same shape, got "
                         f"{tuple(target.shape)} and {tuple(output.shape)}.")


def _log_probabilities(output, from_logits, axis):
    """Log-probabilities along `axis` from logits or from (Keras-clipped) probabilities."""
    if from_logits:
        return torch.log_softmax(output, dim=axis)
    output = output / torch.sum(output, dim=axis, keepdim=True)
    return torch.log(torch.clamp(output, config.epsilon(), 1.0 - config.epsilon()))


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise `-(t * log(p) + (1 - t) * log(1 - p))` for targets `t` in [0, 1].

    >>> ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.9, 0.2]))
    tensor([0.1054, 0.2231])
    """
    target, output = _convert_all(target, output)
    _check_same_shape(target, output)
    target = target.to(output.dtype)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    output = torch.clamp(output, config.epsilon(), 1.0 - config.epsilon())
    return -(target * torch.log(output) + (1.0 - target) * torch.log(1.0 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`-sum(target * log(p))` along `axis`, for one-hot (or soft) targets.

    >>> ops.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))
    tensor([0.2231])
    """
    target, output = _convert_all(target, output)
    _check_same_shape(target, output)
    return -torch.sum(target * _log_probabilities(output, from_logits, axis), dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`-log(p[target])` for integer targets; `output` has one more axis, the classes.

    >>> ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))
    tensor([0.2231])
    """
    target, output = _convert_all(target, output)
    if target.ndim == output.ndim and target.shape[axis] == 1:
        target = target.squeeze(axis)
    if from_logits and output.ndim > 1:
        # torch's fused kernel does log_softmax and the pick in one pass, backward included.
        return torch.nn.functional.cross_entropy(output.movedim(axis, 1), target.long(),
                                                 reduction="none")
    log_probabilities = _log_probabilities(output, from_logits, axis)
    picked = torch.take_along_dim(log_probabilities, target.long().unsqueeze(axis), dim=axis)
    return -picked.squeeze(axis)
