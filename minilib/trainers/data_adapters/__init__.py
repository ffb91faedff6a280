"""Turn whatever the user passes to `fit` into a stream of `(x, y, sample_weight)` batches.

Accepted: NumPy arrays or torch tensors (also lists/dicts of them, for models
with several inputs or outputs), a `minilib.utils.PyDataset`, a torch
`DataLoader`, or a Python generator of batches.
"""

import types

import numpy as np
import torch

from minilib.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from minilib.trainers.data_adapters.batch_packing import (
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from minilib.trainers.data_adapters.batch_source_adapter import IterableAdapter, PyDatasetAdapter
from minilib.utils import tree
from minilib.utils.py_dataset import PyDataset


def is_array_data(x):
    leaves = tree.flatten(x)
    return bool(leaves) and all(
        isinstance(leaf, np.ndarray | torch.Tensor | list | float | int) for leaf in leaves)


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, shuffle=False,
                     steps=None):
    """Pick the adapter for `x`; `y` and `sample_weight` only go with arrays."""
    if isinstance(x, PyDataset | torch.utils.data.DataLoader | types.GeneratorType):
        if y is not None or sample_weight is not None:
            raise ValueError(f"When x is a {type(x).__name__}, it must yield the targets "
                             f"itself: do not pass `y` or `sample_weight` separately.")
        if isinstance(x, PyDataset):
            return PyDatasetAdapter(x, shuffle=shuffle)
        if isinstance(x, types.GeneratorType) and steps is None:
            raise ValueError("Training from a generator needs `steps_per_epoch` (or `steps`), "
                             "because a generator does not know its length.")
        return IterableAdapter(x, steps=steps)
    if x is None:
        raise ValueError("No input data: pass `x` (arrays, a PyDataset or a DataLoader).")
    if not is_array_data(x):
        raise TypeError(f"Unsupported input data of type {type(x).__name__}. Pass NumPy "
                        f"arrays, torch tensors, a dict of them, a minilib.utils.PyDataset "
                        f"or a torch DataLoader.")
    return ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size or 32, shuffle=shuffle)


__all__ = ["ArrayDataAdapter", "get_data_adapter", "pack_x_y_sample_weight",
           "unpack_x_y_sample_weight"]
