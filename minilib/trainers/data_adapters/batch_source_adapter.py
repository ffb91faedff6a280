"""Batches from a source that already makes them: a PyDataset, a torch DataLoader
or a Python generator. Each item is `(x, y)`, `(x, y, sample_weight)` or `x`.
"""

import random

from minilib.trainers.data_adapters.array_data_adapter import to_tensor
from minilib.trainers.data_adapters.batch_packing import unpack_x_y_sample_weight
from minilib.utils import tree


def _as_tensors(batch):
    return tree.map_structure(to_tensor, unpack_x_y_sample_weight(batch))


class PyDatasetAdapter:
    """Read batches by index from a `minilib.utils.PyDataset`."""

    def __init__(self, dataset, shuffle=False):
        self.dataset = dataset
        self.shuffle = bool(shuffle)

    @property
    def num_batches(self):
        return len(self.dataset)

    def batches(self):
        order = list(range(len(self.dataset)))
        if self.shuffle:
            random.shuffle(order)
        for index in order:
            yield _as_tensors(self.dataset[index])
        self.dataset.on_epoch_end()


class IterableAdapter:
    """Read batches from a torch DataLoader (or any re-iterable) or a generator.

    A generator runs out after one pass, so `steps_per_epoch` tells how many
    batches make one epoch and the same generator continues in the next.
    """

    def __init__(self, source, steps=None):
        self.source = source
        self.steps = steps
        self._iterator = None
        try:
            self.length = len(source)
        except TypeError:
            self.length = None

    @property
    def num_batches(self):
        return self.steps or self.length

    def batches(self):
        if self.steps is None:  # a DataLoader: one full pass per epoch
            for batch in self.source:
                yield _as_tensors(batch)
            return
        # With steps_per_epoch one iterator carries on across epochs, as in Keras.
        if self._iterator is None:
            self._iterator = iter(self.source)
        for _ in range(self.steps):
            try:
                batch = next(self._iterator)
            except StopIteration:
                self._iterator = None  # a DataLoader can start again next epoch
                return
            yield _as_tensors(batch)
