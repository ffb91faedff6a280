"""Changing shapes, not values: reshape, transpose, add or drop axes, join, split, repeat.

    >>> from minilib import ops
    >>> x = ops.arange(6)
    >>> ops.reshape(x, (2, 3)).shape, ops.expand_dims(x, 0).shape
    (torch.Size([2, 3]), torch.Size([1, 6]))

Axes are counted from 0, and negative axes from the end, as in NumPy.
"""

import torch

from minilib.ops.core import _convert_all, _int_tuple, convert_to_tensor

__all__ = [
    "reshape", "transpose", "expand_dims", "squeeze", "ravel", "concatenate", "stack", "split",
    "tile", "repeat", "broadcast_to",
]


def reshape(x, newshape):
    """Give `x` a new shape with the same number of elements; one entry may be -1.

    >>> ops.reshape(np.arange(6), (2, -1))
    tensor([[0, 1, 2],
            [3, 4, 5]])
    """
    return torch.reshape(convert_to_tensor(x), _int_tuple(newshape))


def transpose(x, axes=None):
    """Permute the axes; by default reverse them.

    >>> ops.transpose(np.zeros((2, 3, 4))).shape
    torch.Size([4, 3, 2])
    >>> ops.transpose(np.zeros((2, 3, 4)), (0, 2, 1)).shape
    torch.Size([2, 4, 3])
    """
    x = convert_to_tensor(x)
    return x.permute(tuple(reversed(range(x.ndim))) if axes is None else tuple(axes))


def expand_dims(x, axis):
    """Insert size-1 axes at position(s) `axis` of the result.

    >>> ops.expand_dims(np.zeros((2, 3)), axis=0).shape
    torch.Size([1, 2, 3])
    """
    x = convert_to_tensor(x)
    axes = _int_tuple(axis)
    result_ndim = x.ndim + len(axes)
    for position in sorted(a % result_ndim for a in axes):
        x = x.unsqueeze(position)
    return x


def squeeze(x, axis=None):
    """Remove size-1 axes: all of them, or those listed in `axis`.

    >>> ops.squeeze(np.zeros((1, 3, 1))).shape
    torch.Size([3])
    """
    x = convert_to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    axes = _int_tuple(axis)
    if any(x.shape[a] != 1 for a in axes):
        raise ValueError(f"squeeze: axis {axis} of a tensor of shape {tuple(x.shape)} "
                         "does not have size 1.")
    return torch.squeeze(x, dim=axes)


def ravel(x):
    """Flatten to one axis.

    >>> ops.ravel(np.array([[1, 2], [3, 4]]))
    tensor([1, 2, 3, 4])
    """
    return torch.ravel(convert_to_tensor(x))


def concatenate(xs, axis=0):
    """Join tensors along an existing axis.

    >>> ops.concatenate([np.zeros((2, 3)), np.ones((2, 1))], axis=1).shape
    torch.Size([2, 4])
    """
    return torch.cat(_convert_all(*xs), dim=axis)


def stack(x, axis=0):
    """Join tensors of the same shape along a new axis.

    >>> ops.stack([np.zeros(3), np.ones(3)]).shape
    torch.Size([2, 3])
    """
    return torch.stack(_convert_all(*x), dim=axis)


def split(x, indices_or_sections, axis=0):
    """Split into a list: `n` equal sections, or cut before each index in a list.

    >>> ops.split(np.arange(6), 3)
    [tensor([0, 1]), tensor([2, 3]), tensor([4, 5])]
    """
    x = convert_to_tensor(x)
    if isinstance(indices_or_sections, int) and x.shape[axis] % indices_or_sections:
        raise ValueError(f"split: axis {axis} of size {x.shape[axis]} cannot be split into "
                         f"{indices_or_sections} equal sections.")
    return list(torch.tensor_split(x, indices_or_sections, dim=axis))


def tile(x, repeats):
    """Repeat the whole tensor `repeats` times along each axis.

    >>> ops.tile(np.array([1, 2]), 2)
    tensor([1, 2, 1, 2])
    """
    return torch.tile(convert_to_tensor(x), _int_tuple(repeats))


def repeat(x, repeats, axis=None):
    """Repeat each element `repeats` times along `axis` (the flattened tensor if None).

    >>> ops.repeat(np.array([1, 2]), 2)
    tensor([1, 1, 2, 2])
    """
    x, repeats = _convert_all(x, repeats)
    return torch.repeat_interleave(x, repeats, dim=axis)


def broadcast_to(x, shape):
    """Broadcast `x` to `shape` (a read-only view, as in NumPy).

    >>> ops.broadcast_to(np.array([1, 2]), (2, 2))
    tensor([[1, 2],
            [1, 2]])
    """
    return torch.broadcast_to(convert_to_tensor(x), _int_tuple(shape))
