"""Comparisons and logic: `==`, `<`, `and`, `or`, ... value by value, and `where`.

Comparisons give bool tensors (masks), and `where` uses a mask to pick each
value from one of two tensors::

    >>> from minilib import ops
    >>> x = ops.convert_to_tensor([-2.0, 3.0])
    >>> ops.where(ops.greater(x, 0.0), x, 0.0)    # a ReLU written by hand
    tensor([0., 3.])
"""

import torch

from minilib.ops.core import _convert_all, convert_to_tensor

__all__ = [
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
    "logical_or", "logical_not", "where",
]


def equal(x1, x2):
    """Element-wise `x1 == x2`.

    >>> ops.equal(np.array([1, 2]), np.array([1, 3]))
    tensor([ True, False])
    """
    return torch.eq(*_convert_all(x1, x2))


def not_equal(x1, x2):
    """Element-wise `x1 != x2`.

    >>> ops.not_equal(np.array([1, 2]), np.array([1, 3]))
    tensor([False,  True])
    """
    return torch.ne(*_convert_all(x1, x2))


def greater(x1, x2):
    """Element-wise `x1 > x2`.

    >>> ops.greater(np.array([1, 2, 3]), 2)
    tensor([False, False,  True])
    """
    return torch.gt(*_convert_all(x1, x2))


def greater_equal(x1, x2):
    """Element-wise `x1 >= x2`.

    >>> ops.greater_equal(np.array([1, 2, 3]), 2)
    tensor([False,  True,  True])
    """
    return torch.ge(*_convert_all(x1, x2))


def less(x1, x2):
    """Element-wise `x1 < x2`.

    >>> ops.less(np.array([1, 2, 3]), 2)
    tensor([ True, False, False])
    """
    return torch.lt(*_convert_all(x1, x2))


def less_equal(x1, x2):
    """Element-wise `x1 <= x2`.

    >>> ops.less_equal(np.array([1, 2, 3]), 2)
    tensor([ True,  True, False])
    """
    return torch.le(*_convert_all(x1, x2))


def logical_and(x1, x2):
    """Element-wise logical AND; non-zero counts as True.

    >>> ops.logical_and(np.array([1, 1, 0]), np.array([1, 0, 0]))
    tensor([ True, False, False])
    """
    return torch.logical_and(*_convert_all(x1, x2))


def logical_or(x1, x2):
    """Element-wise logical OR; non-zero counts as True.

    >>> ops.logical_or(np.array([1, 1, 0]), np.array([1, 0, 0]))
    tensor([ True,  True, False])
    """
    return torch.logical_or(*_convert_all(x1, x2))


def logical_not(x):
    """Element-wise logical NOT; non-zero counts as True.

    >>> ops.logical_not(np.array([2, 0]))
    tensor([False,  True])
    """
    return torch.logical_not(convert_to_tensor(x))


def where(condition, x1=None, x2=None):
    """`x1` where `condition` holds, else `x2`; with `condition` alone, where it holds.

    >>> ops.where(np.array([True, False]), np.array([1, 2]), np.array([10, 20]))
    tensor([ 1, 20])
    """
    if x1 is None and x2 is None:
        return torch.where(convert_to_tensor(condition))
    if x1 is None or x2 is None:
        raise ValueError("where: give both `x1` and `x2`, or neither.")
    condition, x1, x2 = _convert_all(condition, x1, x2)
    return torch.where(condition.bool(), x1, x2)
