"""Sorting, and picking values by index: `sort`, `argsort`, `take`, `take_along_axis`.

The `arg` ops give indices rather than values; `take_along_axis` turns such
indices back into values::

    >>> from minilib import ops
    >>> x = ops.convert_to_tensor([30, 10, 20])
    >>> order = ops.argsort(x)
    >>> order, ops.take_along_axis(x, order, axis=0)
    (tensor([1, 2, 0]), tensor([10, 20, 30], dtype=torch.int32))
"""

import torch

from minilib.ops.core import _convert_all, convert_to_tensor

__all__ = [
    "sort", "argsort", "take", "take_along_axis",
]


def sort(x, axis=-1):
    """Sorted values along `axis`, smallest first.

    >>> ops.sort(np.array([3, 1, 2]))
    tensor([1, 2, 3])
    """
    return torch.sort(convert_to_tensor(x), dim=axis).values


def argsort(x, axis=-1):
    """Indices that would sort `x` along `axis` (ties keep their order).

    >>> ops.argsort(np.array([3, 1, 2]))
    tensor([1, 2, 0])
    """
    return torch.argsort(convert_to_tensor(x), dim=axis, stable=True)


def take(x, indices, axis=None):
    """Elements at `indices` along `axis` (of the flattened tensor if None).

    >>> ops.take(np.array([10, 20, 30]), np.array([2, 0]))
    tensor([30, 10])
    """
    x, indices = _convert_all(x, indices)
    if axis is None:
        x, axis = x.flatten(), 0
    return x[(slice(None),) * (axis % x.ndim) + (indices.long(),)]


def take_along_axis(x, indices, axis=None):
    """Pick one element per position along `axis`, as with the output of `argsort`.

    >>> x = np.array([[10, 30, 20], [60, 40, 50]])
    >>> ops.take_along_axis(x, ops.argmax(x, axis=1, keepdims=True), axis=1)
    tensor([[30],
            [60]])
    """
    x, indices = _convert_all(x, indices)
    size = x.numel() if axis is None else x.shape[axis]
    indices = torch.where(indices < 0, indices + size, indices).long()
    return torch.take_along_dim(x, indices, dim=axis)
