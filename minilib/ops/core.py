"""Getting values in and out of torch: conversion, casting, shapes, stopping gradients.

Every minilib op first calls `convert_to_tensor`, so ops accept torch tensors,
minilib Variables, NumPy arrays and Python numbers alike::

    >>> import numpy as np
    >>> from minilib import ops
    >>> ops.convert_to_tensor(np.array([0.5, 1.5])).dtype   # float64 becomes floatx
    torch.float32
    >>> ops.shape(np.zeros((2, 3)))
    (2, 3)
"""

import numpy as np
import torch

from minilib.backend import config
from minilib.backend.dtypes import to_torch_dtype

__all__ = [
    "convert_to_tensor", "convert_to_numpy", "cast", "shape", "size", "is_tensor",
    "stop_gradient",
]


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Return `x` as a torch tensor; tensors pass through, new ones go on `config.device()`.

    Args:
        x: a tensor, Variable, NumPy array, Python number or (nested) list of them.
        dtype: the wanted dtype. When omitted, tensors keep theirs, float64 data
            becomes `config.floatx()` (float32), Python ints become int32 (as in
            Keras), and NumPy arrays of other dtypes keep theirs.
        sparse: kept for Keras compatibility; minilib tensors are always dense.
        ragged: kept for Keras compatibility; minilib tensors are never ragged.

    >>> ops.convert_to_tensor(np.array([1, 2]))
    tensor([1, 2])
    >>> ops.convert_to_tensor([1.0, 2.0], dtype="float16")
    tensor([1., 2.], dtype=torch.float16)
    """
    if sparse or ragged:
        raise ValueError("convert_to_tensor: minilib only has dense tensors "
                         "(sparse=True and ragged=True are not supported).")
    dtype = _optional_dtype(dtype)
    if torch.is_tensor(x):
        return x if dtype is None else x.to(dtype)
    if isinstance(x, (list, tuple)) and any(torch.is_tensor(item) for item in x):
        # Stacking keeps the autograd history that a trip through NumPy would lose.
        return torch.stack([convert_to_tensor(item, dtype) for item in x])
    array = np.asarray(x)
    if array.dtype == object:
        _refuse_symbolic(x)
    if dtype is None and array.dtype == np.float64:
        dtype = to_torch_dtype(config.floatx())
    elif dtype is None and array.dtype == np.int64 and not isinstance(x, np.ndarray | np.generic):
        dtype = torch.int32  # Keras's dtype for Python ints: ops.convert_to_tensor(3) is int32
    # torch.tensor copies, so later edits to the NumPy array cannot leak into the tensor.
    return torch.tensor(array, dtype=dtype, device=config.device())


def _refuse_symbolic(x):
    from minilib.graph.keras_tensor import is_symbolic  # the graph imports ops: import late

    if is_symbolic(x):
        raise TypeError(
            "minilib ops need real tensors, but got a symbolic tensor (from `Input`): "
            f"{x!r}. Inside a functional model, wrap the op in a layer, e.g. "
            "`layers.Lambda(lambda t: ops.square(t))(x)`, or write a Layer subclass.")


def convert_to_numpy(x):
    """Return `x` as a NumPy array (copied to the CPU and detached from autograd).

    >>> ops.convert_to_numpy(ops.ones((2,)))
    array([1., 1.], dtype=float32)
    """
    if not torch.is_tensor(x):
        return np.asarray(x)
    x = x.detach().cpu()
    # NumPy has no bfloat16, so widen it to a dtype NumPy understands.
    return (x.float() if x.dtype == torch.bfloat16 else x).numpy()


def cast(x, dtype):
    """Return `x` converted to `dtype` (a name such as `"int64"` or a torch dtype).

    >>> ops.cast(np.array([1.7, -1.7]), "int32")
    tensor([ 1, -1], dtype=torch.int32)
    """
    return convert_to_tensor(x, dtype=dtype)


def shape(x):
    """Return the shape of `x` as a tuple of ints.

    >>> ops.shape(np.zeros((2, 3)))
    (2, 3)
    """
    return tuple(x.shape) if torch.is_tensor(x) else np.shape(x)


def size(x):
    """Return the number of elements in `x`.

    >>> ops.size(np.zeros((2, 3)))
    6
    """
    return int(np.prod(shape(x), dtype=np.int64))


def is_tensor(x):
    """Return whether `x` is a torch tensor (minilib Variables are tensors too).

    >>> ops.is_tensor(np.ones(2)), ops.is_tensor(ops.ones(2))
    (False, True)
    """
    return torch.is_tensor(x)


def stop_gradient(variable):
    """Return the value of `variable` cut off from autograd, so no gradient flows back.

    >>> w = torch.tensor(3.0, requires_grad=True)
    >>> (w * ops.stop_gradient(w)).backward()
    >>> w.grad                       # d(w * const)/dw = 3, not 6
    tensor(3.)
    """
    return convert_to_tensor(variable).detach()


# Helpers shared by the op modules (private: not part of `minilib.ops`).


def _convert_all(*values):
    """Convert each value; plain numbers and arrays join the device of the first tensor.

    This lets `ops.add(gpu_tensor, 1.0)` work even when `config.device()` is the CPU.
    """
    device = None
    for value in values:
        if isinstance(value, torch.Tensor):
            device = value.device
            break
    else:
        device = config.device()
    return [value if isinstance(value, torch.Tensor) else _scalar(value, device)
            if isinstance(value, bool | int | float) else convert_to_tensor(value).to(device=device)
            for value in values]


def _scalar(value, device):
    """A 0-d tensor made on the device itself: copying a number over would wait for a GPU."""
    return torch.full((), value, device=device)


def _floating(x):
    """Return `x` with int and bool dtypes widened to floatx (a mean of ints is a float)."""
    x = convert_to_tensor(x)
    return x if x.is_floating_point() or x.is_complex() else x.to(to_torch_dtype(None))


def _optional_dtype(dtype):
    """`None` stays `None` (let torch choose); anything else becomes a torch dtype."""
    return None if dtype is None else to_torch_dtype(dtype)


def _axes(axis):
    """An axis argument in the form torch's `dim=` accepts: lists become tuples."""
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


def _int_tuple(value):
    """An int or a sequence of ints (a shape, a list of axes) as a tuple of ints."""
    if isinstance(value, list | tuple):
        # While exporting, `x.shape[0]` is a traced size (a tensor or SymInt): int()
        # would freeze it to the sample's batch size, so it is kept as it is.
        return tuple(item if isinstance(item, torch.Tensor | torch.SymInt) else int(item)
                     for item in value)
    return (int(value),) if np.ndim(value) == 0 else tuple(int(item) for item in value)
