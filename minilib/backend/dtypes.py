"""Dtypes by name. minilib speaks Keras's dtype strings ("float32", "int64", ...)."""

import numpy as np
import torch

from minilib.backend import config


def to_torch_dtype(dtype):
    """Turn `"float32"`, `torch.float32`, a NumPy dtype (`np.int8` too) or Python's `float`
    into a `torch.dtype`.

    `None` means the default float dtype, `config.floatx()`.

    Example:

    >>> minilib.backend.to_torch_dtype("int64"), minilib.backend.to_torch_dtype(np.dtype("float16"))
    (torch.int64, torch.float16)
    >>> minilib.backend.to_torch_dtype(None)                 # config.floatx()
    torch.float32
    """
    if dtype is None:
        dtype = config.floatx()
    if isinstance(dtype, torch.dtype):
        return dtype
    if isinstance(dtype, type):  # np.int8, or Python's float, int and bool
        dtype = np.dtype(dtype).name if issubclass(dtype, np.generic) else dtype.__name__
    name = getattr(dtype, "name", None) or str(dtype)
    name = {"float": "float32", "int": "int64", "bool": "bool"}.get(name, name)
    found = getattr(torch, name, None)
    if not isinstance(found, torch.dtype):
        raise ValueError(f"Unknown dtype {dtype!r}. Use a name such as 'float32' or 'int64'.")
    return found


def dtype_name(dtype):
    """The Keras-style name of a dtype: `torch.float32` becomes `"float32"`.

    Example:

    >>> minilib.backend.dtype_name(torch.float32), minilib.backend.dtype_name(np.dtype("int8"))
    ('float32', 'int8')
    """
    return str(to_torch_dtype(dtype)).removeprefix("torch.")
