"""NumPy-style ops: arithmetic, reductions, shapes, comparisons and creating tensors.

They take NumPy's names, arguments and broadcasting rules, and run on torch, so
they are differentiable and work on the GPU::

    >>> from minilib import ops
    >>> x = ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> ops.mean(x, axis=0)
    tensor([2., 3.])
    >>> ops.var(x)            # population variance, as NumPy (torch.var defaults to n - 1)
    tensor(1.2500)
"""

import builtins

import torch

from minilib.backend import config
from minilib.backend.dtypes import to_torch_dtype
from minilib.ops.core import (
    _axes,
    _convert_all,
    _floating,
    _int_tuple,
    _optional_dtype,
    convert_to_tensor,
)

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "power", "negative", "maximum",
    "minimum", "clip", "abs", "absolute", "square", "sqrt", "exp", "log", "log1p", "expm1",
    "sign", "sin", "cos", "tanh", "arctanh", "round", "floor", "ceil", "isnan", "isfinite",
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
    "logical_or", "logical_not", "where", "matmul", "dot", "tensordot", "einsum", "norm",
    "reshape", "transpose", "expand_dims", "squeeze", "ravel", "concatenate", "stack", "split",
    "tile", "repeat", "broadcast_to", "sum", "mean", "max", "min", "prod", "var", "std",
    "argmax", "argmin", "all", "any", "count_nonzero", "cumsum", "sort", "argsort", "take",
    "take_along_axis", "zeros", "ones", "full", "zeros_like", "ones_like", "arange", "eye",
    "linspace", "meshgrid",
]

# Arithmetic -------------------------------------------------------------------


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


# Element-wise functions -------------------------------------------------------


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


# Comparisons and logic --------------------------------------------------------


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


# Linear algebra ---------------------------------------------------------------


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


# Shapes -----------------------------------------------------------------------


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
    if builtins.any(x.shape[a] != 1 for a in axes):
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


# Reductions -------------------------------------------------------------------


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


# Sorting and indexing ---------------------------------------------------------


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


# Creating tensors -------------------------------------------------------------


def zeros(shape, dtype=None):
    """A tensor of zeros; `dtype` defaults to floatx.

    >>> ops.zeros((2, 3))
    tensor([[0., 0., 0.],
            [0., 0., 0.]])
    """
    return torch.zeros(_int_tuple(shape), dtype=to_torch_dtype(dtype), device=config.device())


def ones(shape, dtype=None):
    """A tensor of ones; `dtype` defaults to floatx.

    >>> ops.ones((2,), dtype="int32")
    tensor([1, 1], dtype=torch.int32)
    """
    return torch.ones(_int_tuple(shape), dtype=to_torch_dtype(dtype), device=config.device())


def full(shape, fill_value, dtype=None):
    """A tensor of `shape` filled with `fill_value`; `dtype` defaults to floatx.

    >>> ops.full((2,), 7.0)
    tensor([7., 7.])
    """
    fill_value = convert_to_tensor(fill_value, dtype=to_torch_dtype(dtype))
    return torch.broadcast_to(fill_value, _int_tuple(shape)).clone()


def zeros_like(x, dtype=None):
    """Zeros with the shape (and, unless given, the dtype) of `x`.

    >>> ops.zeros_like(np.array([1, 2]))
    tensor([0, 0])
    """
    return torch.zeros_like(convert_to_tensor(x), dtype=_optional_dtype(dtype))


def ones_like(x, dtype=None):
    """Ones with the shape (and, unless given, the dtype) of `x`.

    >>> ops.ones_like(np.array([1.5, 2.5]))
    tensor([1., 1.])
    """
    return torch.ones_like(convert_to_tensor(x), dtype=_optional_dtype(dtype))


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)`; `arange(n)` counts from 0 to n - 1.

    >>> ops.arange(4)
    tensor([0, 1, 2, 3])
    >>> ops.arange(1, 2, 0.25)
    tensor([1.0000, 1.2500, 1.5000, 1.7500])
    """
    if stop is None:
        start, stop = 0, start
    return torch.arange(start, stop, 1 if step is None else step,
                        dtype=_optional_dtype(dtype), device=config.device())


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (included unless `endpoint=False`).

    >>> ops.linspace(0.0, 1.0, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    if axis != 0:
        raise ValueError(f"linspace: minilib supports axis=0 only, got axis={axis}.")
    count = num if endpoint else num + 1
    values = torch.linspace(float(start), float(stop), count, device=config.device(),
                            dtype=_optional_dtype(dtype) or to_torch_dtype(None))
    values = values if endpoint else values[:-1]
    step = (float(stop) - float(start)) / builtins.max((num - 1) if endpoint else num, 1)
    return (values, step) if retstep else values


def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D tensors, as NumPy's `meshgrid` (`indexing` "xy" or "ij").

    >>> xs, ys = ops.meshgrid(np.array([1, 2, 3]), np.array([10, 20]))
    >>> xs.shape, ys.shape
    (torch.Size([2, 3]), torch.Size([2, 3]))
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}.")
    return list(torch.meshgrid(*[convert_to_tensor(v) for v in x], indexing=indexing))


def eye(N, M=None, k=0, dtype=None):
    """An `N x M` matrix with ones on diagonal `k` (0 is the main one) and zeros elsewhere.

    >>> ops.eye(2, 3)
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    rows = torch.arange(N, device=config.device())[:, None]
    columns = torch.arange(N if M is None else M, device=config.device())
    return (columns - rows == k).to(to_torch_dtype(dtype))
