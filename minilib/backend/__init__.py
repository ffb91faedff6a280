"""The PyTorch side of minilib: device and dtype settings, variables, names."""

from minilib.backend.config import device, epsilon, floatx, set_device
from minilib.backend.dtypes import dtype_name, to_torch_dtype
from minilib.backend.naming import clear_session, unique_name
from minilib.backend.variable import Variable

__all__ = [
    "Variable", "clear_session", "device", "dtype_name", "epsilon", "floatx",
    "set_device", "to_torch_dtype", "unique_name",
]
