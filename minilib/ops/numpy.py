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
    """Element-wise `x1 + x2`."""
    return torch.add(*_convert_all(x1, x2))


def subtract(x1, x2):
    """Element-wise `x1 - x2`."""
    return torch.subtract(*_convert_all(x1, x2))


def multiply(x1, x2):
    """Element-wise `x1 * x2`."""
    return torch.multiply(*_convert_all(x1, x2))


def divide(x1, x2):
    """Element-wise true division `x1 / x2` (ints give floats)."""
    return torch.true_divide(*_convert_all(x1, x2))


def true_divide(x1, x2):
    """Element-wise true division `x1 / x2`, the same as `divide`."""
    return divide(x1, x2)


def power(x1, x2):
    """Element-wise `x1 ** x2`."""
    return torch.pow(*_convert_all(x1, x2))


def negative(x):
    """Element-wise `-x`."""
    return torch.neg(convert_to_tensor(x))


def maximum(x1, x2):
    """Element-wise larger of `x1` and `x2`."""
    return torch.maximum(*_convert_all(x1, x2))


def minimum(x1, x2):
    """Element-wise smaller of `x1` and `x2`."""
    return torch.minimum(*_convert_all(x1, x2))


def clip(x, x_min, x_max):
    """Limit the values of `x` to the interval `[x_min, x_max]`."""
    return torch.clamp(*_convert_all(x, x_min, x_max))


# Element-wise functions -------------------------------------------------------


def abs(x):
    """Element-wise absolute value."""
    return torch.abs(convert_to_tensor(x))


def absolute(x):
    """Element-wise absolute value, the same as `abs`."""
    return abs(x)


def square(x):
    """Element-wise `x * x`."""
    return torch.square(convert_to_tensor(x))


def sqrt(x):
    """Element-wise square root."""
    return torch.sqrt(convert_to_tensor(x))


def exp(x):
    """Element-wise exponential `e ** x`."""
    return torch.exp(convert_to_tensor(x))


def log(x):
    """Element-wise natural logarithm."""
    return torch.log(convert_to_tensor(x))


def log1p(x):
    """Element-wise `log(1 + x)`, accurate for small `x`."""
    return torch.log1p(convert_to_tensor(x))


def expm1(x):
    """Element-wise `exp(x) - 1`, accurate for small `x`."""
    return torch.expm1(convert_to_tensor(x))


def sign(x):
    """Element-wise sign: -1, 0 or 1."""
    return torch.sign(convert_to_tensor(x))


def sin(x):
    """Element-wise sine."""
    return torch.sin(convert_to_tensor(x))


def cos(x):
    """Element-wise cosine."""
    return torch.cos(convert_to_tensor(x))


def tanh(x):
    """Element-wise hyperbolic tangent."""
    return torch.tanh(convert_to_tensor(x))


def arctanh(x):
    """Element-wise inverse hyperbolic tangent."""
    return torch.atanh(convert_to_tensor(x))


def round(x, decimals=0):
    """Round to `decimals` decimal places; halves go to the even neighbour, as in NumPy."""
    x = convert_to_tensor(x)
    return torch.round(x, decimals=decimals) if x.is_floating_point() else x


def floor(x):
    """Element-wise floor."""
    return torch.floor(convert_to_tensor(x))


def ceil(x):
    """Element-wise ceiling."""
    return torch.ceil(convert_to_tensor(x))


def isnan(x):
    """Element-wise test for NaN."""
    return torch.isnan(convert_to_tensor(x))


def isfinite(x):
    """Element-wise test for values that are neither infinite nor NaN."""
    return torch.isfinite(convert_to_tensor(x))


# Comparisons and logic --------------------------------------------------------


def equal(x1, x2):
    """Element-wise `x1 == x2`."""
    return torch.eq(*_convert_all(x1, x2))


def not_equal(x1, x2):
    """Element-wise `x1 != x2`."""
    return torch.ne(*_convert_all(x1, x2))


def greater(x1, x2):
    """Element-wise `x1 > x2`."""
    return torch.gt(*_convert_all(x1, x2))


def greater_equal(x1, x2):
    """Element-wise `x1 >= x2`."""
    return torch.ge(*_convert_all(x1, x2))


def less(x1, x2):
    """Element-wise `x1 < x2`."""
    return torch.lt(*_convert_all(x1, x2))


def less_equal(x1, x2):
    """Element-wise `x1 <= x2`."""
    return torch.le(*_convert_all(x1, x2))


def logical_and(x1, x2):
    """Element-wise logical AND; non-zero counts as True."""
    return torch.logical_and(*_convert_all(x1, x2))


def logical_or(x1, x2):
    """Element-wise logical OR; non-zero counts as True."""
    return torch.logical_or(*_convert_all(x1, x2))


def logical_not(x):
    """Element-wise logical NOT; non-zero counts as True."""
    return torch.logical_not(convert_to_tensor(x))


def where(condition, x1=None, x2=None):
    """`x1` where `condition` holds, else `x2`; with `condition` alone, where it holds."""
    if x1 is None and x2 is None:
        return torch.where(convert_to_tensor(condition))
    if x1 is None or x2 is None:
        raise ValueError("where: give both `x1` and `x2`, or neither.")
    condition, x1, x2 = _convert_all(condition, x1, x2)
    return torch.where(condition.bool(), x1, x2)


# Linear algebra ---------------------------------------------------------------


def matmul(x1, x2):
    """Matrix product; leading axes broadcast as batch axes."""
    return torch.matmul(*_convert_all(x1, x2))


def dot(x1, x2):
    """NumPy's `dot`: sums over the last axis of `x1` and the second-to-last of `x2`."""
    x1, x2 = _convert_all(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return torch.multiply(x1, x2)
    return torch.tensordot(x1, x2, dims=([-1], [-1 if x2.ndim == 1 else -2]))


def tensordot(x1, x2, axes=2):
    """Sum products over `axes`: an int (the last/first `axes` axes) or two lists of axes."""
    if not isinstance(axes, int):
        axes = [[axis] if isinstance(axis, int) else list(axis) for axis in axes]
    return torch.tensordot(*_convert_all(x1, x2), dims=axes)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation, e.g. `einsum("ij,jk->ik", a, b)` is a matrix product."""
    return torch.einsum(subscripts, *_convert_all(*operands))


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm, as `numpy.linalg.norm` (by default the flattened 2-norm)."""
    return torch.linalg.norm(_floating(x), ord=ord, dim=_axes(axis), keepdim=keepdims)


# Shapes -----------------------------------------------------------------------


def reshape(x, newshape):
    """Give `x` a new shape with the same number of elements; one entry may be -1."""
    return torch.reshape(convert_to_tensor(x), _int_tuple(newshape))


def transpose(x, axes=None):
    """Permute the axes; by default reverse them."""
    x = convert_to_tensor(x)
    return x.permute(tuple(reversed(range(x.ndim))) if axes is None else tuple(axes))


def expand_dims(x, axis):
    """Insert size-1 axes at position(s) `axis` of the result."""
    x = convert_to_tensor(x)
    axes = _int_tuple(axis)
    result_ndim = x.ndim + len(axes)
    for position in sorted(a % result_ndim for a in axes):
        x = x.unsqueeze(position)
    return x


def squeeze(x, axis=None):
    """Remove size-1 axes: all of them, or those listed in `axis`."""
    x = convert_to_tensor(x)
    if axis is None:
        return torch.squeeze(x)
    axes = _int_tuple(axis)
    if builtins.any(x.shape[a] != 1 for a in axes):
        raise ValueError(f"squeeze: axis {axis} of a tensor of shape {tuple(x.shape)} "
                         "does not have size 1.")
    return torch.squeeze(x, dim=axes)


def ravel(x):
    """Flatten to one axis."""
    return torch.ravel(convert_to_tensor(x))


def concatenate(xs, axis=0):
    """Join tensors along an existing axis."""
    return torch.cat(_convert_all(*xs), dim=axis)


def stack(x, axis=0):
    """Join tensors of the same shape along a new axis."""
    return torch.stack(_convert_all(*x), dim=axis)


def split(x, indices_or_sections, axis=0):
    """Split into a list: `n` equal sections, or cut before each index in a list."""
    x = convert_to_tensor(x)
    if isinstance(indices_or_sections, int) and x.shape[axis] % indices_or_sections:
        raise ValueError(f"split: axis {axis} of size {x.shape[axis]} cannot be split into "
                         f"{indices_or_sections} equal sections.")
    return list(torch.tensor_split(x, indices_or_sections, dim=axis))


def tile(x, repeats):
    """Repeat the whole tensor `repeats` times along each axis."""
    return torch.tile(convert_to_tensor(x), _int_tuple(repeats))


def repeat(x, repeats, axis=None):
    """Repeat each element `repeats` times along `axis` (the flattened tensor if None)."""
    x, repeats = _convert_all(x, repeats)
    return torch.repeat_interleave(x, repeats, dim=axis)


def broadcast_to(x, shape):
    """Broadcast `x` to `shape` (a read-only view, as in NumPy)."""
    return torch.broadcast_to(convert_to_tensor(x), _int_tuple(shape))


# Reductions -------------------------------------------------------------------


def _no_axes(axis):
    """`axis=()` reduces over no axis, as in NumPy and Keras (torch's `dim=()` means all)."""
    return isinstance(axis, list | tuple) and len(axis) == 0


def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (an int, a tuple, or None for all axes; `()` for none)."""
    x = convert_to_tensor(x)
    if _no_axes(axis):
        return x
    return torch.sum(x, dim=_axes(axis), keepdim=keepdims)


def mean(x, axis=None, keepdims=False):
    """Mean over `axis`; ints and bools give floats."""
    x = _floating(x)
    if _no_axes(axis):
        return x
    return torch.mean(x, dim=_axes(axis), keepdim=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    """Largest value over `axis`, and at least `initial` when given."""
    x = convert_to_tensor(x)
    result = x if _no_axes(axis) else torch.amax(x, dim=_axes(axis), keepdim=keepdims)
    return result if initial is None else torch.clamp(result, min=initial)


def min(x, axis=None, keepdims=False, initial=None):
    """Smallest value over `axis`, and at most `initial` when given."""
    x = convert_to_tensor(x)
    result = x if _no_axes(axis) else torch.amin(x, dim=_axes(axis), keepdim=keepdims)
    return result if initial is None else torch.clamp(result, max=initial)


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis`."""
    x = convert_to_tensor(x, dtype=dtype)
    axes = range(x.ndim) if axis is None else _int_tuple(axis)
    # torch.prod takes one axis at a time; going from the last keeps the others' positions.
    for a in sorted((a % x.ndim for a in axes), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims)
    return x


def var(x, axis=None, keepdims=False):
    """Population variance over `axis` (divides by n, like NumPy; torch.var uses n - 1)."""
    x = _floating(x)
    if _no_axes(axis):
        return torch.zeros_like(x)  # each value alone: no spread
    return torch.var(x, dim=_axes(axis), correction=0, keepdim=keepdims)


def std(x, axis=None, keepdims=False):
    """Population standard deviation over `axis` (divides by n, like NumPy)."""
    x = _floating(x)
    if _no_axes(axis):
        return torch.zeros_like(x)
    return torch.std(x, dim=_axes(axis), correction=0, keepdim=keepdims)


def argmax(x, axis=None, keepdims=False):
    """Index of the largest value along `axis` (in the flattened tensor if None), as int32."""
    return torch.argmax(convert_to_tensor(x), dim=axis, keepdim=keepdims).int()  # Keras: int32


def argmin(x, axis=None, keepdims=False):
    """Index of the smallest value along `axis` (in the flattened tensor if None), as int32."""
    return torch.argmin(convert_to_tensor(x), dim=axis, keepdim=keepdims).int()


def all(x, axis=None, keepdims=False):
    """Whether every element along `axis` is non-zero."""
    return torch.all(convert_to_tensor(x), dim=_axes(axis), keepdim=keepdims)


def any(x, axis=None, keepdims=False):
    """Whether some element along `axis` is non-zero."""
    return torch.any(convert_to_tensor(x), dim=_axes(axis), keepdim=keepdims)


def count_nonzero(x, axis=None):
    """Number of non-zero elements along `axis`."""
    return torch.count_nonzero(convert_to_tensor(x), dim=_axes(axis))


def cumsum(x, axis=None, dtype=None):
    """Running sum along `axis` (over the flattened tensor if None)."""
    x = convert_to_tensor(x, dtype=dtype)
    return torch.cumsum(x.flatten(), dim=0) if axis is None else torch.cumsum(x, dim=axis)


# Sorting and indexing ---------------------------------------------------------


def sort(x, axis=-1):
    """Sorted values along `axis`, smallest first."""
    return torch.sort(convert_to_tensor(x), dim=axis).values


def argsort(x, axis=-1):
    """Indices that would sort `x` along `axis` (ties keep their order)."""
    return torch.argsort(convert_to_tensor(x), dim=axis, stable=True)


def take(x, indices, axis=None):
    """Elements at `indices` along `axis` (of the flattened tensor if None)."""
    x, indices = _convert_all(x, indices)
    if axis is None:
        x, axis = x.flatten(), 0
    return x[(slice(None),) * (axis % x.ndim) + (indices.long(),)]


def take_along_axis(x, indices, axis=None):
    """Pick one element per position along `axis`, as with the output of `argsort`."""
    x, indices = _convert_all(x, indices)
    size = x.numel() if axis is None else x.shape[axis]
    indices = torch.where(indices < 0, indices + size, indices).long()
    return torch.take_along_dim(x, indices, dim=axis)


# Creating tensors -------------------------------------------------------------


def zeros(shape, dtype=None):
    """A tensor of zeros; `dtype` defaults to floatx."""
    return torch.zeros(_int_tuple(shape), dtype=to_torch_dtype(dtype), device=config.device())


def ones(shape, dtype=None):
    """A tensor of ones; `dtype` defaults to floatx."""
    return torch.ones(_int_tuple(shape), dtype=to_torch_dtype(dtype), device=config.device())


def full(shape, fill_value, dtype=None):
    """A tensor of `shape` filled with `fill_value`; `dtype` defaults to floatx."""
    fill_value = convert_to_tensor(fill_value, dtype=to_torch_dtype(dtype))
    return torch.broadcast_to(fill_value, _int_tuple(shape)).clone()


def zeros_like(x, dtype=None):
    """Zeros with the shape (and, unless given, the dtype) of `x`."""
    return torch.zeros_like(convert_to_tensor(x), dtype=_optional_dtype(dtype))


def ones_like(x, dtype=None):
    """Ones with the shape (and, unless given, the dtype) of `x`."""
    return torch.ones_like(convert_to_tensor(x), dtype=_optional_dtype(dtype))


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)`; `arange(n)` counts from 0 to n - 1."""
    if stop is None:
        start, stop = 0, start
    return torch.arange(start, stop, 1 if step is None else step,
                        dtype=_optional_dtype(dtype), device=config.device())


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (included unless `endpoint=False`)."""
    if axis != 0:
        raise ValueError(f"linspace: minilib supports axis=0 only, got axis={axis}.")
    count = num if endpoint else num + 1
    values = torch.linspace(float(start), float(stop), count, device=config.device(),
                            dtype=_optional_dtype(dtype) or to_torch_dtype(None))
    values = values if endpoint else values[:-1]
    step = (float(stop) - float(start)) / builtins.max((num - 1) if endpoint else num, 1)
    return (values, step) if retstep else values


def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D tensors, as NumPy's `meshgrid` (`indexing` "xy" or "ij")."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}.")
    return list(torch.meshgrid(*[convert_to_tensor(v) for v in x], indexing=indexing))


def eye(N, M=None, k=0, dtype=None):
    """An `N x M` matrix with ones on diagonal `k` (0 is the main one) and zeros elsewhere."""
    rows = torch.arange(N, device=config.device())[:, None]
    columns = torch.arange(N if M is None else M, device=config.device())
    return (columns - rows == k).to(to_torch_dtype(dtype))
