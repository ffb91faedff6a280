"""Functions applied to each value of one tensor: roots, exp and log, trigonometry, rounding.

The result has the shape of the input; `isnan` and `isfinite` give bools::

    >>> from minilib import ops
    >>> ops.sqrt(ops.convert_to_tensor([1.0, 4.0, 9.0]))
    tensor([1., 2., 3.])

`abs` and `round` take NumPy's names, which are also Python built-ins: inside
this file they mean the ops, so `absolute` calls the op `abs`.
"""

import torch

from minilib.ops.core import convert_to_tensor

__all__ = [
    "abs", "absolute", "square", "sqrt", "exp", "log", "log1p", "expm1", "sign", "sin", "cos",
    "tanh", "arctanh", "round", "floor", "ceil", "isnan", "isfinite",
]


def abs(x):
    """Element-wise absolute value.

    >>> ops.abs(np.array([-1.5, 2.0]))
    tensor([1.5000, 2.0000])
    """
    return torch.abs(convert_to_tensor(x))


def absolute(x):
    """Element-wise absolute value, the same as `abs`.

    >>> ops.absolute(np.array([-1.5, 2.0]))
    tensor([1.5000, 2.0000])
    """
    return abs(x)


def square(x):
    """Element-wise `x * x`.

    >>> ops.square(np.array([-3.0, 2.0]))
    tensor([9., 4.])
    """
    return torch.square(convert_to_tensor(x))


def sqrt(x):
    """Element-wise square root.

    >>> ops.sqrt(np.array([4.0, 9.0]))
    tensor([2., 3.])
    """
    return torch.sqrt(convert_to_tensor(x))


def exp(x):
    """Element-wise exponential `e ** x`.

    >>> ops.exp(np.array([0.0, 1.0]))
    tensor([1.0000, 2.7183])
    """
    return torch.exp(convert_to_tensor(x))


def log(x):
    """Element-wise natural logarithm.

    >>> ops.log(np.array([1.0, np.e]))
    tensor([0., 1.])
    """
    return torch.log(convert_to_tensor(x))


def log1p(x):
    """Element-wise `log(1 + x)`, accurate for small `x`.

    >>> ops.log1p(np.array([0.0, 1e-8]))
    tensor([0.0000e+00, 1.0000e-08])
    """
    return torch.log1p(convert_to_tensor(x))


def expm1(x):
    """Element-wise `exp(x) - 1`, accurate for small `x`.

    >>> ops.expm1(np.array([0.0, 1e-8]))
    tensor([0.0000e+00, 1.0000e-08])
    """
    return torch.expm1(convert_to_tensor(x))


def sign(x):
    """Element-wise sign: -1, 0 or 1.

    >>> ops.sign(np.array([-3.0, 0.0, 2.0]))
    tensor([-1.,  0.,  1.])
    """
    return torch.sign(convert_to_tensor(x))


def sin(x):
    """Element-wise sine.

    >>> ops.sin(np.array([0.0, np.pi / 2]))
    tensor([0., 1.])
    """
    return torch.sin(convert_to_tensor(x))


def cos(x):
    """Element-wise cosine.

    >>> ops.cos(np.array([0.0, np.pi]))
    tensor([ 1., -1.])
    """
    return torch.cos(convert_to_tensor(x))


def tanh(x):
    """Element-wise hyperbolic tangent.

    >>> ops.tanh(np.array([-1.0, 0.0, 1.0]))
    tensor([-0.7616,  0.0000,  0.7616])
    """
    return torch.tanh(convert_to_tensor(x))


def arctanh(x):
    """Element-wise inverse hyperbolic tangent.

    >>> ops.arctanh(np.array([0.0, 0.5]))
    tensor([0.0000, 0.5493])
    """
    return torch.atanh(convert_to_tensor(x))


def round(x, decimals=0):
    """Round to `decimals` decimal places; halves go to the even neighbour, as in NumPy.

    >>> ops.round(np.array([0.5, 1.5, 2.567]))
    tensor([0., 2., 3.])
    >>> ops.round(np.array([2.567]), decimals=2)
    tensor([2.5700])
    """
    x = convert_to_tensor(x)
    return torch.round(x, decimals=decimals) if x.is_floating_point() else x


def floor(x):
    """Element-wise floor.

    >>> ops.floor(np.array([-1.5, 1.5]))
    tensor([-2.,  1.])
    """
    return torch.floor(convert_to_tensor(x))


def ceil(x):
    """Element-wise ceiling.

    >>> ops.ceil(np.array([-1.5, 1.5]))
    tensor([-1.,  2.])
    """
    return torch.ceil(convert_to_tensor(x))


def isnan(x):
    """Element-wise test for NaN.

    >>> ops.isnan(np.array([1.0, np.nan]))
    tensor([False,  True])
    """
    return torch.isnan(convert_to_tensor(x))


def isfinite(x):
    """Element-wise test for values that are neither infinite nor NaN.

    >>> ops.isfinite(np.array([1.0, np.inf, np.nan]))
    tensor([ True, False, False])
    """
    return torch.isfinite(convert_to_tensor(x))
