"""Normalization: shift and scale features to mean 0 and variance 1 (a preprocessing layer)."""

import math

import numpy as np
import torch

from minilib.backend import config
from minilib.layers.layer import Layer
from minilib.utils.py_dataset import PyDataset


class Normalization(Layer):
    """Standardize features with statistics given or learned by `adapt`.

        y = (x - mean) / sqrt(variance)          (invert=True: x = y * sqrt(variance) + mean)

    The statistics are either given (`mean=`, `variance=`) or learned from data
    before training with `adapt`, which reads the data once and stores, for every
    position along `axis` (one per feature by default), the mean and (biased)
    variance over all other axes. They are not trained afterwards.

    When adapted, the layer's weights are mean, variance and count (the number of
    values that each mean summarizes), all non-trainable.

    Args:
        axis: the axis or axes that keep their own statistics (default -1, each
            feature); `None` computes one mean and variance over everything.
        mean, variance: fixed statistics, broadcast against the kept axes; give
            both or neither.
        invert: apply the inverse (turn normalized values back into data units).

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> norm = minilib.layers.Normalization()
    >>> norm.adapt(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> norm(np.array([[2.0, 20.0]]))            # the mean of each feature becomes 0
    tensor([[0., 0.]])
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError(f"Normalization '{self.name}': give both mean and variance or "
                             f"neither, got mean={mean!r} and variance={variance!r}.")
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True

    def build(self, input_shape):
        rank = len(input_shape)
        if any(not -rank <= a < rank for a in self.axis):
            raise ValueError(f"Normalization '{self.name}': axis {self.axis} is out of range "
                             f"for an input of shape {tuple(input_shape)}.")
        self._keep_axes = sorted(a % rank for a in self.axis)
        self._build_shape = tuple(input_shape)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axes else 1
                                 for d in range(rank)]
        stats_shape = tuple(input_shape[d] for d in self._keep_axes)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=stats_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=stats_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64",
                                         initializer="zeros", trainable=False)

    def _statistics(self):
        if self.input_mean is None:
            return (self.adapt_mean.reshape(self._broadcast_shape),
                    self.adapt_variance.reshape(self._broadcast_shape))
        kept = [self._broadcast_shape[d] for d in self._keep_axes]

        def broadcast(value):  # the given statistic fills the kept axes, from the right
            value = torch.as_tensor(np.asarray(value), dtype=self._torch_dtype,
                                    device=config.device())
            return torch.broadcast_to(value, kept).reshape(self._broadcast_shape)

        return broadcast(self.input_mean), broadcast(self.input_variance)

    def call(self, inputs):
        inputs = inputs if inputs.is_floating_point() else inputs.to(self._torch_dtype)
        mean, variance = self._statistics()
        std = torch.clamp(torch.sqrt(variance), min=config.epsilon())
        return inputs * std + mean if self.invert else (inputs - mean) / std

    def adapt(self, data):
        """Learn the mean and variance from `data`, read once.

        `data` is a NumPy array or tensor holding everything, or a PyDataset or
        other iterable of batches (an `(x, y)` batch contributes its `x`).
        """
        if self.input_mean is not None:
            raise ValueError(f"Normalization '{self.name}': adapt() learns the statistics, "
                             f"but fixed mean and variance were given to the constructor.")
        if isinstance(data, PyDataset):
            batches = (data[i] for i in range(len(data)))
        elif isinstance(data, np.ndarray | torch.Tensor):
            batches = iter([data])
        else:
            batches = iter(data)
        mean = variance = None
        total = 0
        for batch in batches:
            batch = batch[0] if isinstance(batch, tuple) else batch
            batch = np.asarray(batch.detach().cpu() if torch.is_tensor(batch) else batch,
                               dtype=np.float64)
            if not self.built:
                self._maybe_build(batch.shape)
            self._check_adapt_shape(batch.shape)
            reduce_axes = tuple(d for d in range(batch.ndim) if d not in self._keep_axes)
            count = math.prod(batch.shape[d] for d in reduce_axes)
            batch_mean, batch_variance = batch.mean(reduce_axes), batch.var(reduce_axes)
            if mean is None:
                mean, variance, total = batch_mean, batch_variance, count
                continue
            weight = count / (total + count)   # merge two groups' statistics exactly
            delta = batch_mean - mean
            mean = mean + weight * delta
            variance = (1 - weight) * variance + weight * batch_variance \
                + weight * (1 - weight) * delta ** 2
            total += count
        if mean is None:
            raise ValueError(f"Normalization '{self.name}': adapt() received no data.")
        self.adapt_mean.assign(mean.astype(np.float32))
        self.adapt_variance.assign(variance.astype(np.float32))
        self.count.assign(np.asarray(total, dtype=np.int64))

    def _check_adapt_shape(self, shape):
        if len(shape) != len(self._build_shape) or any(
                shape[d] != self._build_shape[d] for d in self._keep_axes):
            raise ValueError(f"Normalization '{self.name}' was built for inputs of shape "
                             f"{self._build_shape}, but adapt() received data of shape "
                             f"{tuple(shape)}.")

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(),
                "variance": np.array(self.input_variance).tolist()}
