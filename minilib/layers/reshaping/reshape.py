"""Reshape: give each sample a new shape with the same number of values."""

import math

from minilib import ops
from minilib.layers.layer import Layer


class Reshape(Layer):
    """Reshape every sample to `target_shape` (the batch dimension is kept).

    `Reshape((7, 4))` turns a batch of shape `(32, 28)` into `(32, 7, 4)`. One size
    may be -1, meaning "whatever is left over".

    Args:
        target_shape: the new shape of one sample; may contain one -1.

    Input shape:
        `(batch, ...)`, with as many values per sample as `target_shape` holds.

    Output shape:
        `(batch, *target_shape)`.

    Example:

    >>> minilib.layers.Reshape((7, 4))(np.ones((32, 28))).shape
    torch.Size([32, 7, 4])
    >>> minilib.layers.Reshape((-1, 2))(np.ones((32, 28))).shape   # 28 values: 14 rows of 2
    torch.Size([32, 14, 2])
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)
        if sum(d == -1 for d in self.target_shape) > 1:
            raise ValueError(f"Reshape '{self.name}': only one size may be -1, "
                             f"got {self.target_shape}.")

    def build(self, input_shape):
        sample = input_shape[1:]
        if any(d is None for d in sample) or -1 in self.target_shape:
            return
        if math.prod(sample) != math.prod(self.target_shape):
            raise ValueError(f"Reshape '{self.name}': cannot reshape a sample of shape {sample} "
                             f"({math.prod(sample)} values) into {self.target_shape} "
                             f"({math.prod(self.target_shape)} values).")

    def call(self, inputs):
        return ops.reshape(inputs, (inputs.shape[0], *self.target_shape))

    def compute_output_shape(self, input_shape):
        sample = input_shape[1:]
        if -1 not in self.target_shape:
            return (input_shape[0], *self.target_shape)
        if any(d is None for d in sample):
            return (input_shape[0], *(None if d == -1 else d for d in self.target_shape))
        known = math.prod(d for d in self.target_shape if d != -1)
        if math.prod(sample) % known:
            raise ValueError(f"Reshape '{self.name}': a sample of shape {sample} does not "
                             f"divide into {self.target_shape}.")
        return (input_shape[0], *(math.prod(sample) // known if d == -1 else d
                                  for d in self.target_shape))

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
