"""Creating tensors: zeros, ones, a constant, counting (`arange`, `linspace`), `eye`, grids.

Tensors made from a shape go on `config.device()` (`zeros_like` and
`ones_like` follow `x`); `zeros`, `ones`, `eye` and `linspace` are floatx
(float32) unless given a `dtype`::

    >>> from minilib import ops
    >>> ops.zeros((2, 3)).dtype, ops.arange(3)
    (torch.float32, tensor([0, 1, 2]))
"""

import torch

from minilib.backend import config
from minilib.backend.dtypes import to_torch_dtype
from minilib.ops.core import _int_tuple, _optional_dtype, convert_to_tensor

__all__ = [
    "zeros", "ones", "full", "zeros_like", "ones_like", "arange", "eye", "linspace",
    "meshgrid",
]


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
    step = (float(stop) - float(start)) / max((num - 1) if endpoint else num, 1)
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
