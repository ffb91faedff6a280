"""Device names for data parallelism: `"cpu:0"`, `"cuda:1"` (Keras's `"gpu:1"` works too).

minilib trains with one process per device, as PyTorch's DistributedDataParallel does.
Under `torchrun`, `list_devices()` therefore names one device per process, in process
order. On CPUs the processes share the machine's cores, and `"cpu:1"` simply means "the
CPU of process 1".
"""

import os

import torch

from minilib.backend import config
from minilib.distribution.process_group import launched_processes

_ALIASES = {"gpu": "cuda", "cuda": "cuda", "cpu": "cpu"}


def list_devices(device_type=None):
    """The devices that data parallelism can use, as names such as `"cuda:0"` (Keras's name).

    Outside `torchrun`: this machine's GPUs, or `["cpu:0"]`. Under `torchrun`: one
    device per process, in process order: `"cuda:<LOCAL_RANK>"` on GPUs, `"cpu:<RANK>"`
    on CPUs.

        >>> minilib.distribution.list_devices("cpu")
        ['cpu:0']

    Args:
        device_type: `"cpu"`, `"cuda"` (or `"gpu"`). Default: the type of
            `minilib.config.device()`, which is CUDA when PyTorch sees a GPU.
    """
    device_type = device_type_of(device_type) if device_type else config.device().type
    if device_type == "cuda" and not torch.cuda.is_available():
        raise ValueError("list_devices('cuda'): PyTorch sees no CUDA device on this machine; "
                         "use list_devices('cpu').")
    processes = launched_processes()
    if processes is None:
        count = torch.cuda.device_count() if device_type == "cuda" else 1
        return [f"{device_type}:{index}" for index in range(count)]
    if device_type == "cpu":
        return [f"cpu:{rank}" for rank in range(processes)]
    per_machine = int(os.environ.get("LOCAL_WORLD_SIZE") or processes)
    return [f"cuda:{rank % per_machine}" for rank in range(processes)]


def device_type_of(name):
    """`"gpu:1"` -> `"cuda"`: the device type of a device name, in PyTorch's words."""
    kind = str(name).split(":")[0].lower()
    if kind not in _ALIASES:
        raise ValueError(f"Unknown device {name!r}: use names such as 'cpu:0', 'cuda:0' or "
                         f"'gpu:0' (see minilib.distribution.list_devices()).")
    return _ALIASES[kind]


def torch_device(name):
    """The `torch.device` a process trains on, for a name from `list_devices()`."""
    if device_type_of(name) == "cpu":
        return torch.device("cpu")  # every process has the whole CPU; the number is its rank
    index = str(name).partition(":")[2]
    return torch.device("cuda", int(index) if index else 0)
