"""timeseries_dataset_from_array: cut a long series into windows for an RNN."""

import math

import numpy as np

from minilib.utils.py_dataset import PyDataset


class TimeseriesDataset(PyDataset):
    """Batches of windows `(x, y)` (or just `x` without targets), in a fixed order.

    `start_positions` holds where each window starts, relative to `start_index`.
    """

    def __init__(self, data, targets, start_positions, sequence_length, sampling_rate,
                 batch_size, **kwargs):
        super().__init__(**kwargs)
        self.data, self.targets = data, targets
        self.start_positions = start_positions
        self.offsets = np.arange(sequence_length) * sampling_rate
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.start_positions) / self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} out of range for {len(self)} batches.")
        starts = self.start_positions[index * self.batch_size:(index + 1) * self.batch_size]
        windows = self.data[starts[:, None] + self.offsets]
        if self.targets is None:
            return windows
        return windows, self.targets[starts]


def _check_positive(name, value, length):
    if value <= 0 or value >= length:
        raise ValueError(f"{name} must be between 1 and the data length - 1 ({length - 1}), "
                         f"got {value}.")


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """Windows over `data` as a `PyDataset` that `fit` can read.

    Each sample is a window of `sequence_length` consecutive steps (every
    `sampling_rate`-th step); the target of the window starting at step `i` is
    `targets[i]`. To predict the value that follows each window, shift the targets
    (see the example).

    Args:
        data: array of shape `(steps, ...)`, e.g. `(steps,)` or `(steps, features)`.
        targets: `targets[i]` is the target of the window starting at `data[i]`
            (windows past the end of `targets` are left out), or None for windows only.
        sequence_length: number of steps in each window.
        sequence_stride: distance between the starts of consecutive windows.
        sampling_rate: keep every `sampling_rate`-th step inside a window
            (a window then spans `(sequence_length - 1) * sampling_rate + 1` steps).
        batch_size: windows per batch (the last batch may be smaller).
        shuffle: shuffle the windows once (with `seed`), e.g. for training.
        seed: seed for that shuffle.
        start_index, end_index: use only `data[start_index:end_index]` (e.g. a
            chronological train/validation split).

    Returns:
        A `PyDataset`: item `i` is `(x, y)` with `x` of shape
        `(batch, sequence_length, ...)`, or just `x` when `targets` is None.

    Example, windows of 3 steps, each with the step that follows it as its target:

    >>> series = np.arange(10)
    >>> ds = minilib.utils.timeseries_dataset_from_array(
    ...     series[:-3], targets=series[3:], sequence_length=3, batch_size=4)
    >>> x, y = ds[0]
    >>> x
    array([[0, 1, 2],
           [1, 2, 3],
           [2, 3, 4],
           [3, 4, 5]])
    >>> y                                   # the step right after each window
    array([3, 4, 5, 6])
    """
    data = np.asarray(data)
    start_index = start_index or 0
    end_index = len(data) if end_index is None else end_index
    if not 0 <= start_index < len(data):
        raise ValueError(f"start_index must be in [0, {len(data)}), got {start_index}.")
    if not start_index < end_index <= len(data):
        raise ValueError(f"end_index must be in ({start_index}, {len(data)}], got {end_index}.")
    _check_positive("sampling_rate", sampling_rate, len(data))
    _check_positive("sequence_stride", sequence_stride, len(data))
    num_windows = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)[start_index:end_index]
        num_windows = min(num_windows, len(targets))  # no window without a target
    start_positions = np.arange(0, max(num_windows, 0), sequence_stride)
    if shuffle:
        seed = np.random.randint(1_000_000) if seed is None else seed
        np.random.RandomState(seed).shuffle(start_positions)
    return TimeseriesDataset(data[start_index:end_index], targets, start_positions,
                             sequence_length, sampling_rate, batch_size)

