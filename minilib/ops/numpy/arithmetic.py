"""Arithmetic on two tensors: `+ - * / **`, the larger or smaller of two, clipping.

Either input may be a tensor, a NumPy array or a Python number, and the two
broadcast against each other as in NumPy (a number goes with any shape)::

    >>> from minilib import ops
    >>> ops.multiply(ops.ones((2, 3)), 10.0)
    tensor([[10., 10., 10.],
            [10., 10., 10.]])
"""

import torch

from minilib.ops.core import _convert_all, convert_to_tensor

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "power", "negative", "maximum",
    "minimum", "clip",
]


def add(x1, x2):
    """Element-wise `x1 + x2`.

    >>> ops.add(np.array([1.0, 2.0]), 10.0)
    tensor([11., 12.])
    """
    return torch.add(*_convert_all(x1, x2))


def subtract(x1, x2):
    """Element-wise `x1 - x2`.

    >>> ops.subtract(np.array([5.0, 7.0]), np.array([1.0, 2.0]))
    tensor([4., 5.])
    """
    return torch.subtract(*_convert_all(x1, x2))


def multiply(x1, x2):
    """Element-wise `x1 * x2`.

    >>> ops.multiply(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    tensor([3., 8.])
    """
    return torch.multiply(*_convert_all(x1, x2))


def divide(x1, x2):
    """Element-wise true division `x1 / x2` (ints give floats).

    >>> ops.divide(np.array([1, 3]), 2)
    tensor([0.5000, 1.5000])
    """
    return torch.true_divide(*_convert_all(x1, x2))


def true_divide(x1, x2):
    """Element-wise true division `x1 / x2`, the same as `divide`.

    >>> ops.true_divide(np.array([1, 3]), 2)
    tensor([0.5000, 1.5000])
    """
    return divide(x1, x2)


def power(x1, x2):
    """Element-wise `x1 ** x2`.

    >>> ops.power(np.array([2.0, 3.0]), 2)
    tensor([4., 9.])
    """
    return torch.pow(*_convert_all(x1, x2))


def negative(x):
    """Element-wise `-x`.

    >>> ops.negative(np.array([1.0, -2.0]))
    tensor([-1.,  2.])
    """
    return torch.neg(convert_to_tensor(x))


def maximum(x1, x2):
    """Element-wise larger of `x1` and `x2`.

    >>> ops.maximum(np.array([1.0, 5.0]), 3.0)
    tensor([3., 5.])
    """
    return torch.maximum(*_convert_all(x1, x2))


def minimum(x1, x2):
    """Element-wise smaller of `x1` and `x2`.

    >>> ops.minimum(np.array([1.0, 5.0]), 3.0)
    tensor([1., 3.])
    """
    return torch.minimum(*_convert_all(x1, x2))


def clip(x, x_min, x_max):
    """Limit the values of `x` to the interval `[x_min, x_max]`.

    >>> ops.clip(np.array([-2.0, 0.5, 3.0]), 0.0, 1.0)
    tensor([0.0000, 0.5000, 1.0000])
    """
    return torch.clamp(*_convert_all(x, x_min, x_max))
