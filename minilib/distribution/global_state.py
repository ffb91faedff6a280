"""Which distribution `fit` uses: `set_distribution` and `distribution` (Keras's names)."""

import torch.distributed as dist

_state = {"distribution": None}


def set_distribution(value):
    """Make `fit` and `evaluate` train with `value`, a `DataParallel` (None: no distribution).

        >>> minilib.distribution.set_distribution(minilib.distribution.DataParallel())
    """
    from minilib.distribution.data_parallel import DataParallel

    if value is not None and not isinstance(value, DataParallel):
        raise TypeError(f"set_distribution expects a minilib.distribution.DataParallel (or "
                        f"None); got {value!r} of type {type(value).__name__}.")
    _state["distribution"] = value


def distribution():
    """The distribution set with `set_distribution`, or None."""
    return _state["distribution"]


def active_data_parallel():
    """The DataParallel that `fit` must use now, or None to train on this process alone.

    A DataParallel made in a plain `python train.py` has no process group to talk to:
    `fit` then trains as usual.
    """
    value = _state["distribution"]
    return value if value is not None and dist.is_initialized() else None
