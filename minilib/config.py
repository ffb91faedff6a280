"""Public settings: `minilib.config.set_device("cpu")`, `floatx()`, `epsilon()`, ..."""

from minilib.backend.config import (
    backend,
    device,
    epsilon,
    floatx,
    set_device,
    set_epsilon,
    set_floatx,
)

__all__ = ["backend", "device", "epsilon", "floatx", "set_device", "set_epsilon", "set_floatx"]
