"""NumPy-style ops: arithmetic, reductions, shapes, comparisons and creating tensors.

They take NumPy's names, arguments and broadcasting rules, and run on torch, so
they are differentiable and work on the GPU::

    >>> from minilib import ops
    >>> x = ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> ops.mean(x, axis=0)
    tensor([2., 3.])
    >>> ops.var(x)            # population variance, as NumPy (torch.var defaults to n - 1)
    tensor(1.2500)

`minilib.ops.numpy` (Keras's `keras.ops.numpy`) gathers the ops of this folder,
one kind per file:

- `arithmetic`: `+ - * / **`, maximum, minimum, clip.
- `elementwise`: one value at a time: abs, sqrt, exp, log, sin, round, isnan, ...
- `comparison`: `==`, `<`, logical and/or/not, where.
- `linear_algebra`: matmul, dot, tensordot, einsum, norm.
- `shapes`: reshape, transpose, expand_dims, concatenate, split, tile, ...
- `reductions`: sum, mean, max, var, argmax, all, any, cumsum, ...
- `sorting_and_indexing`: sort, argsort, take, take_along_axis.
- `creation`: zeros, ones, full, arange, linspace, eye, meshgrid.
"""

from minilib.ops.numpy import (
    arithmetic,
    comparison,
    creation,
    elementwise,
    linear_algebra,
    reductions,
    shapes,
    sorting_and_indexing,
)
from minilib.ops.numpy.arithmetic import *  # noqa: F403
from minilib.ops.numpy.comparison import *  # noqa: F403
from minilib.ops.numpy.creation import *  # noqa: F403
from minilib.ops.numpy.elementwise import *  # noqa: F403
from minilib.ops.numpy.linear_algebra import *  # noqa: F403
from minilib.ops.numpy.reductions import *  # noqa: F403
from minilib.ops.numpy.shapes import *  # noqa: F403
from minilib.ops.numpy.sorting_and_indexing import *  # noqa: F403

__all__ = [
    *arithmetic.__all__, *elementwise.__all__, *comparison.__all__, *linear_algebra.__all__,
    *shapes.__all__, *reductions.__all__, *sorting_and_indexing.__all__, *creation.__all__,
]
