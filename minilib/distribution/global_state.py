"""Which distribution `fit` uses: `set_distribution` and `distribution` (Keras's names),
and what `fit` asks of it: this process's share of the data."""

import torch.distributed as dist

from minilib.distribution.data_parallel import DataParallel
from minilib.distribution.sharding import own_slice

_state = {"distribution": None}


def set_distribution(value):
    """Make `fit` and `evaluate` train with `value`, a `DataParallel` (None: no distribution).

        >>> minilib.distribution.set_distribution(minilib.distribution.DataParallel())
    """
    if value is not None and not isinstance(value, DataParallel):
        raise TypeError(f"set_distribution expects a minilib.distribution.DataParallel (or "
                        f"None); got {value!r} of type {type(value).__name__}.")
    _state["distribution"] = value


def distribution():
    """The distribution set with `set_distribution`, or None.

    Example:

    >>> minilib.distribution.distribution() is None       # nothing set: one process
    True
    >>> data_parallel = minilib.distribution.DataParallel()
    >>> minilib.distribution.set_distribution(data_parallel)
    >>> minilib.distribution.distribution() is data_parallel
    True
    >>> minilib.distribution.set_distribution(None)
    """
    return _state["distribution"]


def active_data_parallel():
    """The DataParallel that `fit` must use now, or None to train on this process alone.

    A DataParallel made in a plain `python train.py` has no process group to talk to:
    `fit` then trains as usual.
    """
    value = _state["distribution"]
    return value if value is not None and dist.is_initialized() else None


def distribute_data(adapter):
    """`adapter` itself on one process; under DataParallel, this process's slices of it."""
    data_parallel = active_data_parallel()
    return adapter if data_parallel is None else data_parallel.distribute_dataset(adapter)


def distribute_batch(batch):
    """`batch` itself on one process; under DataParallel, this process's slice of it."""
    data_parallel = active_data_parallel()
    return batch if data_parallel is None else own_slice(batch, data_parallel)
