"""Each process takes its own slice of every global batch.

With 2 processes and `batch_size=64`, the data adapter still makes batches of 64 samples
on every process, in the same order (see `random_state.py`); process 0 keeps samples
0-31 of each, process 1 samples 32-63. A batch that doesn't split evenly gives the first
processes one sample more: 65 samples become 33 + 32.

Every process reads every batch and keeps its part: simple and exact for the arrays a
course uses. (Very large datasets are better split before loading, with
`torch.utils.data.DistributedSampler`.)
"""

from minilib.distribution.random_state import copy_random_state_of_process_0
from minilib.utils import tree


class ShardedBatches:
    """Wraps a data adapter: yields this process's slice of each of its batches."""

    def __init__(self, adapter, data_parallel):
        self.adapter = adapter
        self.data_parallel = data_parallel
        _check_last_batch(adapter, data_parallel.num_processes)

    @property
    def num_batches(self):
        return self.adapter.num_batches

    def batches(self):
        copy_random_state_of_process_0()
        for batch in self.adapter.batches():
            yield own_slice(batch, self.data_parallel)


def own_slice(batch, data_parallel):
    """This process's slice of `batch`; remembers its share of the batch for the gradients."""
    size = int(tree.flatten(batch)[0].shape[0])
    processes = data_parallel.num_processes
    if size < processes:
        raise ValueError(_too_small_message(size, processes))
    start, stop = shard_bounds(size, processes, data_parallel.data_shard_id)
    data_parallel.batch_share = (stop - start) / size
    return tree.map_structure(lambda t: None if t is None else t[start:stop], batch)


def shard_bounds(batch_size, num_shards, shard):
    """Where slice number `shard` of a batch starts and stops: `shard_bounds(65, 2, 1) == (33, 65)`.

    The slices are as equal as possible; the first `batch_size % num_shards` get one more.
    """
    base, extra = divmod(batch_size, num_shards)
    start = shard * base + min(shard, extra)
    return start, start + base + (1 if shard < extra else 0)


def _check_last_batch(adapter, processes):
    """Fail before training when arrays are known to make a batch too small to share."""
    samples = getattr(adapter, "num_samples", None)
    batch_size = getattr(adapter, "batch_size", None)
    if samples is None or batch_size is None:
        return  # a PyDataset or DataLoader: checked batch by batch
    if batch_size < processes:
        raise ValueError(_too_small_message(batch_size, processes)
                         + f" Use batch_size >= {processes} (it counts all processes' "
                           f"samples together).")
    last = samples % batch_size
    if 0 < last < processes:
        raise ValueError(_too_small_message(last, processes)
                         + f" With {samples} samples and batch_size={batch_size}, the last "
                           f"batch has {last}: choose a batch_size that leaves at least "
                           f"{processes} samples in the last batch, or drop {last} "
                           f"sample{'s' if last > 1 else ''}.")


def _too_small_message(size, processes):
    return (f"DataParallel with {processes} processes: a batch of {size} "
            f"sample{'s' if size > 1 else ''} can't be shared, each process needs at "
            f"least one sample of every batch.")

