"""The processes of a data-parallel run: joining them into one group, and who is who.

`torchrun --nproc-per-node=2 train.py` starts `train.py` twice and tells each copy who it
is through environment variables:

* `RANK`: the process's number, 0, 1, ... (Keras calls it the `process_id`);
* `WORLD_SIZE`: how many processes there are in all;
* `LOCAL_RANK`: its number on this machine, which picks its GPU;
* `MASTER_ADDR` and `MASTER_PORT`: where process 0 waits for the others.

Joining the *process group* connects the processes, so that they can add up tensors
together (an *all-reduce*). That is how their gradients are averaged. The group talks
through NCCL between GPUs and through gloo between CPUs.

A plain `python train.py` sets none of these variables. It is a group of one, nothing is
started, and `fit` trains as usual.
"""

import atexit
import gc
import os

import torch
import torch.distributed as dist

from minilib.backend import config


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Join this process to the others of a multi-process run (Keras's name).

    `torchrun` sets everything this needs in environment variables, and creating
    `DataParallel()` calls this for you, so you rarely call it yourself. Call it for a run
    that another launcher started (Slurm, for example), before building the model.
    Under a plain `python train.py` it does nothing.

    Args:
        job_addresses: `"host:port"` of process 0 (more comma-separated addresses may
            follow; only the first is used). Default: `MASTER_ADDR` and `MASTER_PORT`.
        num_processes: how many processes in all. Default: `WORLD_SIZE`.
        process_id: this process's number, from 0. Default: `RANK`.

    Process 1 of 2, where process 0 runs on the machine `node01`, would call
    `minilib.distribution.initialize("node01:29500", num_processes=2, process_id=1)`
    (and wait there for process 0).

    Example, under a plain `python` run, where there is nothing to join:

    >>> minilib.distribution.initialize()
    >>> minilib.distribution.is_main_process()
    True
    """
    join_process_group(config.device().type, job_addresses, num_processes, process_id)


def join_process_group(device_type, job_addresses=None, num_processes=None, process_id=None):
    """Start the group for training on `device_type` ("cpu" or "cuda"), if there is one."""
    if dist.is_initialized():
        return
    world_size = num_processes if num_processes is not None else _environment_int("WORLD_SIZE")
    if world_size is None:
        return  # a plain `python train.py`: a group of one
    rank = process_id if process_id is not None else _environment_int("RANK")
    if rank is None or not 0 <= rank < world_size:
        raise ValueError(f"initialize(): this process's number must be between 0 and "
                         f"{world_size - 1} (there are {world_size} processes); got "
                         f"process_id={rank}. torchrun sets it in RANK.")
    local_rank = _environment_int("LOCAL_RANK")
    local_rank = rank if local_rank is None else local_rank
    if device_type == "cuda" and local_rank >= torch.cuda.device_count():
        raise ValueError(f"Process {rank} would train on GPU cuda:{local_rank}, but this "
                         f"machine has {torch.cuda.device_count()} GPU(s). Start one process "
                         f"per GPU (torchrun --nproc-per-node=<number of GPUs>), or train on "
                         f"CPUs: DataParallel(devices=list_devices('cpu')).")
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = _address_of_process_0(job_addresses)
    if device_type == "cuda":
        torch.cuda.set_device(local_rank)
        dist.init_process_group("nccl", rank=rank, world_size=world_size,
                                device_id=torch.device("cuda", local_rank))
    else:
        dist.init_process_group("gloo", rank=rank, world_size=world_size)
    atexit.register(_leave_process_group)


def _address_of_process_0(job_addresses):
    """`(host, port)` from `"host:port,..."`, or from MASTER_ADDR and MASTER_PORT."""
    if job_addresses:
        host, _, port = job_addresses.split(",")[0].strip().partition(":")
        return host, port or "29500"
    if "MASTER_ADDR" not in os.environ:
        raise ValueError("initialize(): where does process 0 listen? Pass "
                         "job_addresses='host:port', set MASTER_ADDR and MASTER_PORT, or start "
                         "the script with torchrun.")
    return os.environ["MASTER_ADDR"], os.environ.get("MASTER_PORT", "29500")


def process_id():
    """This process's number in the group: 0 for the first process, or on its own."""
    return dist.get_rank() if dist.is_initialized() else 0


def num_processes():
    """How many processes train together: 1 unless the process group was started."""
    return dist.get_world_size() if dist.is_initialized() else 1


def launched_processes():
    """How many processes the launcher started (`WORLD_SIZE`), or None for a plain run."""
    return num_processes() if dist.is_initialized() else _environment_int("WORLD_SIZE")


def is_main_process():
    """True on process 0, the one that prints and writes files, and always on one process.

    Save the model at the end of a script that may run on several processes like this:

    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> if minilib.distribution.is_main_process():     # True under plain `python`
    ...     model.save("model.keras")
    >>> import os; os.path.exists("model.keras")
    True
    """
    return process_id() == 0


def _environment_int(name):
    value = os.environ.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"The environment variable {name} must be a whole number; "
                         f"got {name}={value!r}.") from None


def _leave_process_group():
    """At exit, free what still uses the group, then close it.

    `fit`'s DDP wrapper may outlive training in a reference cycle. Left to the end of the
    interpreter, PyTorch tears it down after Python has finalized, and in about one run in
    ten the process aborts there ("terminate called without an active exception"; a plain
    PyTorch DDP script does the same). Collecting it first avoids that.
    """
    if dist.is_initialized():
        gc.collect()
        dist.destroy_process_group()
