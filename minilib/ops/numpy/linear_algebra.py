"""Linear algebra: matrix products (`matmul`, `dot`, `tensordot`, `einsum`) and norms.

`matmul` is what a Dense layer computes, `inputs @ kernel`; axes in front of
the last two are a batch, each multiplied by the same matrix::

    >>> from minilib import ops
    >>> ops.matmul(ops.ones((32, 3)), ops.ones((3, 4))).shape    # 32 inputs, 4 units
    torch.Size([32, 4])
"""

import torch

from minilib.ops.core import _axes, _convert_all, _floating

__all__ = [
    "matmul", "dot", "tensordot", "einsum", "norm",
]


def matmul(x1, x2):
    """Matrix product; leading axes broadcast as batch axes.

    >>> ops.matmul(np.ones((2, 3)), np.ones((3, 4))).shape
    torch.Size([2, 4])
    >>> ops.matmul(np.ones((5, 2, 3)), np.ones((3, 4))).shape    # batch of 5
    torch.Size([5, 2, 4])
    """
    return torch.matmul(*_convert_all(x1, x2))


def dot(x1, x2):
    """NumPy's `dot`: sums over the last axis of `x1` and the second-to-last of `x2`.

    >>> ops.dot(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    tensor(11.)
    """
    x1, x2 = _convert_all(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return torch.multiply(x1, x2)
    return torch.tensordot(x1, x2, dims=([-1], [-1 if x2.ndim == 1 else -2]))


def tensordot(x1, x2, axes=2):
    """Sum products over `axes`: an int (the last/first `axes` axes) or two lists of axes.

    >>> ops.tensordot(np.ones((2, 3)), np.ones((3, 4)), axes=1).shape
    torch.Size([2, 4])
    """
    if not isinstance(axes, int):
        axes = [[axis] if isinstance(axis, int) else list(axis) for axis in axes]
    return torch.tensordot(*_convert_all(x1, x2), dims=axes)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation, e.g. `einsum("ij,jk->ik", a, b)` is a matrix product.

    >>> ops.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((3, 4))).shape
    torch.Size([2, 4])
    """
    return torch.einsum(subscripts, *_convert_all(*operands))


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm, as `numpy.linalg.norm` (by default the flattened 2-norm).

    >>> ops.norm(np.array([3.0, 4.0]))
    tensor(5.)
    """
    return torch.linalg.norm(_floating(x), ord=ord, dim=_axes(axis), keepdim=keepdims)
