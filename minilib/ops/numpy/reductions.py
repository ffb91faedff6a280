"""Reductions: sum, mean, max, variance, argmax, all, ... over some axes (and `cumsum`).

`axis` is an int, a tuple of ints, None (every axis) or `()` (no axis), and
`keepdims=True` keeps each reduced axis with size 1, so that the result
broadcasts against the input::

    >>> from minilib import ops
    >>> x = ops.convert_to_tensor([[1.0, 2.0], [3.0, 5.0]])
    >>> ops.sum(x, axis=1)
    tensor([3., 8.])
    >>> x - ops.mean(x, axis=1, keepdims=True)          # centre each row
    tensor([[-0.5000,  0.5000],
            [-1.0000,  1.0000]])

`sum`, `max`, `min`, `all` and `any` take NumPy's names, which are also Python
built-ins: inside this file they mean the ops.
"""

import torch

from minilib.ops.core import _axes, _floating, _int_tuple, convert_to_tensor

__all__ = [
    "sum", "mean", "max", "min", "prod", "var", "std", "argmax", "argmin", "all", "any",
    "count_nonzero", "cumsum",
]


def _no_axes(axis):
    """`axis=()` reduces over no axis, as in NumPy and Keras (torch's `dim=()` means all)."""
    return isinstance(axis, list | tuple) and len(axis) == 0


def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (an int, a tuple, or None for all axes; `()` for none).

    >>> ops.sum(np.array([[1, 2], [3, 4]]), axis=0)
    tensor([4, 6])
    """
    x = convert_to_tensor(x)
    if _no_axes(axis):
        return x
    return torch.sum(x, dim=_axes(axis), keepdim=keepdims)


def mean(x, axis=None, keepdims=False):
    """Mean over `axis`; ints and bools give floats.

    >>> ops.mean(np.array([[1, 2], [3, 4]]), axis=1)
    tensor([1.5000, 3.5000])
    """
    x = _floating(x)
    if _no_axes(axis):
        return x
    return torch.mean(x, dim=_axes(axis), keepdim=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    """Largest value over `axis`, and at least `initial` when given.

    >>> ops.max(np.array([[1, 5], [3, 4]]), axis=0)
    tensor([3, 5])
    """
    x = convert_to_tensor(x)
    result = x if _no_axes(axis) else torch.amax(x, dim=_axes(axis), keepdim=keepdims)
    return result if initial is None else torch.clamp(result, min=initial)


def min(x, axis=None, keepdims=False, initial=None):
    """Smallest value over `axis`, and at most `initial` when given.

    >>> ops.min(np.array([[1, 5], [3, 4]]), axis=1)
    tensor([1, 3])
    """
    x = convert_to_tensor(x)
    result = x if _no_axes(axis) else torch.amin(x, dim=_axes(axis), keepdim=keepdims)
    return result if initial is None else torch.clamp(result, max=initial)


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis`.

    >>> ops.prod(np.array([1, 2, 3, 4]))
    tensor(24)
    """
    x = convert_to_tensor(x, dtype=dtype)
    axes = range(x.ndim) if axis is None else _int_tuple(axis)
    # torch.prod takes one axis at a time; going from the last keeps the others' positions.
    for a in sorted((a % x.ndim for a in axes), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims)
    return x


def var(x, axis=None, keepdims=False):
    """Population variance over `axis` (divides by n, like NumPy; torch.var uses n - 1).

    >>> ops.var(np.array([1.0, 2.0, 3.0, 4.0]))
    tensor(1.2500)
    """
    x = _floating(x)
    if _no_axes(axis):
        return torch.zeros_like(x)  # each value alone: no spread
    return torch.var(x, dim=_axes(axis), correction=0, keepdim=keepdims)


def std(x, axis=None, keepdims=False):
    """Population standard deviation over `axis` (divides by n, like NumPy).

    >>> ops.std(np.array([1.0, 2.0, 3.0, 4.0]))
    tensor(1.1180)
    """
    x = _floating(x)
    if _no_axes(axis):
        return torch.zeros_like(x)
    return torch.std(x, dim=_axes(axis), correction=0, keepdim=keepdims)


def argmax(x, axis=None, keepdims=False):
    """Index of the largest value along `axis` (in the flattened tensor if None), as int32.

    >>> ops.argmax(np.array([[1, 5, 2], [7, 0, 3]]), axis=1)
    tensor([1, 0], dtype=torch.int32)
    """
    return torch.argmax(convert_to_tensor(x), dim=axis, keepdim=keepdims).int()  # Keras: int32


def argmin(x, axis=None, keepdims=False):
    """Index of the smallest value along `axis` (in the flattened tensor if None), as int32.

    >>> ops.argmin(np.array([[1, 5, 2], [7, 0, 3]]), axis=1)
    tensor([0, 1], dtype=torch.int32)
    """
    return torch.argmin(convert_to_tensor(x), dim=axis, keepdim=keepdims).int()


def all(x, axis=None, keepdims=False):
    """Whether every element along `axis` is non-zero.

    >>> ops.all(np.array([[1, 1], [1, 0]]), axis=1)
    tensor([ True, False])
    """
    return torch.all(convert_to_tensor(x), dim=_axes(axis), keepdim=keepdims)


def any(x, axis=None, keepdims=False):
    """Whether some element along `axis` is non-zero.

    >>> ops.any(np.array([[0, 0], [1, 0]]), axis=1)
    tensor([False,  True])
    """
    return torch.any(convert_to_tensor(x), dim=_axes(axis), keepdim=keepdims)


def count_nonzero(x, axis=None):
    """Number of non-zero elements along `axis`.

    >>> ops.count_nonzero(np.array([0, 3, 0, 1]))
    tensor(2)
    """
    return torch.count_nonzero(convert_to_tensor(x), dim=_axes(axis))


def cumsum(x, axis=None, dtype=None):
    """Running sum along `axis` (over the flattened tensor if None).

    >>> ops.cumsum(np.array([1, 2, 3]))
    tensor([1, 3, 6])
    """
    x = convert_to_tensor(x, dtype=dtype)
    return torch.cumsum(x.flatten(), dim=0) if axis is None else torch.cumsum(x, dim=axis)
