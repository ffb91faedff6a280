"""DataParallel: train one model on several devices, each with its slice of every batch.

Data parallelism, in four steps that repeat for every batch:

1. every process holds a full copy of the model, the same weights everywhere;
2. the global batch (`batch_size` samples) is cut into one slice per process;
3. each process computes the gradients on its own slice;
4. the processes average their gradients (an *all-reduce*), so that all of them take the
   same optimizer step, and their copies of the model stay identical.

Each device computes the gradients of only part of every batch, so a step can take a
fraction of the time (plus the time spent averaging), and the result is the same as
training on one device with the same `batch_size` (up to float rounding).
"""

import torch.distributed as dist

from minilib.backend import config
from minilib.distribution.devices import device_type_of, list_devices, torch_device
from minilib.distribution.process_group import join_process_group, num_processes, process_id
from minilib.distribution.sharding import ShardedBatches


class DataParallel:
    """Data parallelism with Keras's API, run by PyTorch's DistributedDataParallel.

    The same script trains on one process (`python train.py`) or on several
    (`torchrun --nproc-per-node=2 train.py`, one process per device)::

        import minilib as keras

        keras.distribution.set_distribution(keras.distribution.DataParallel())
        model = make_model()        # build the model after choosing the distribution
        model.compile(...)
        model.fit(x, y, batch_size=64, epochs=5)    # 64 samples per step, in all
        if keras.distribution.is_main_process():
            model.save("model.keras")

    In `fit` (and `evaluate`, `train_on_batch`, `test_on_batch`), under `torchrun`:

    * `batch_size` is the **global** batch size, as in Keras: with 2 processes and
      `batch_size=64`, each process trains on 32 samples of every batch. Every batch
      (the last one too) must have at least one sample per process.
    * Gradients are averaged across processes by `torch.nn.parallel.
      DistributedDataParallel`, each process weighed by its share of the batch.
    * The metrics (and the loss) add up every process's samples, so all processes
      report the same numbers, those of the whole batch.
    * Only process 0 prints progress and writes files (`ModelCheckpoint`, `CSVLogger`).
    * `predict` is not shared out: each process predicts every sample.

    Every process must run the same calls (`fit`, `evaluate`) in the same order: they
    wait for each other at every step. Layers keep their own statistics per process
    (BatchNormalization's moving averages are those of process 0's slices).

    Args:
        devices: one device per process, e.g. `["cuda:0", "cuda:1"]` or
            `list_devices("cpu")`. Default: `list_devices()` under `torchrun`, or
            `minilib.config.device()` on one process.

    Attributes:
        devices: the device names, one per process.
        device: the `torch.device` this process trains on.
        num_processes: how many processes train together.
        data_shard_id: this process's number (its slice of each batch), from 0.

    Example, the same script under a plain `python` run: one process, which trains
    as usual.

    >>> data_parallel = minilib.distribution.DataParallel(devices=["cpu"])
    >>> data_parallel.num_processes, data_parallel.data_shard_id, data_parallel.devices
    (1, 0, ['cpu'])
    >>> minilib.distribution.set_distribution(data_parallel)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> model.fit(np.ones((8, 1)), np.ones((8, 1)), batch_size=4, verbose=0).epoch
    [0]
    >>> minilib.distribution.set_distribution(None)
    """

    def __init__(self, devices=None):
        device_type = device_type_of(devices[0]) if devices else config.device().type
        join_process_group(device_type)
        if devices is None:
            devices = list_devices(device_type) if dist.is_initialized() else [
                f"{config.device().type}:{config.device().index or 0}"]
        self.devices = [str(device) for device in devices]
        self.num_processes = num_processes()
        self.data_shard_id = process_id()
        _check_one_device_per_process(self.devices, self.num_processes)
        self.device = torch_device(self.devices[self.data_shard_id])
        _check_backend_can_reach(self.device)
        config.set_device(self.device)
        # This process's share of the current batch, n_i / batch_size: set by the sharded
        # data for every batch, read when the gradients are averaged (gradient_averaging.py).
        self.batch_share = 1.0 / self.num_processes

    def distribute_dataset(self, dataset):
        """This process's slices of every batch of `dataset` (a minilib data adapter)."""
        return ShardedBatches(dataset, self)

    def __repr__(self):
        return (f"DataParallel(devices={self.devices}) on process {self.data_shard_id} "
                f"of {self.num_processes}")


def _check_one_device_per_process(devices, processes):
    if len(devices) == processes:
        return
    if not dist.is_initialized():
        raise ValueError(f"DataParallel(devices={devices}) names {len(devices)} devices, but "
                         f"this is a single process, and minilib trains with one process per "
                         f"device. Start the script with `torchrun --nproc-per-node="
                         f"{len(devices)} your_script.py`.")
    raise ValueError(f"DataParallel(devices={devices}) names {len(devices)} devices, but "
                     f"{processes} processes were started (WORLD_SIZE={processes}): give one "
                     f"device per process, or leave `devices` out.")


def _check_backend_can_reach(device):
    if not dist.is_initialized():
        return
    if dist.get_backend() == "nccl" and device.type != "cuda":
        raise ValueError(f"DataParallel: the process group talks through NCCL, which only "
                         f"reaches GPUs, not {device}. Create DataParallel(devices=...) "
                         f"before calling initialize(), or set minilib.config.set_device() "
                         f"to the devices you train on first.")
