"""Flatten: turn each sample into a vector, keeping the batch dimension."""

import math

from minilib import ops
from minilib.layers.layer import Layer


class Flatten(Layer):
    """Flatten every sample to one dimension.

    An image batch of shape `(32, 28, 28)` becomes `(32, 784)`: each sample's
    values, row after row. Flatten usually sits between the convolutional part of
    a network and its Dense classifier.

    Args:
        data_format: accepted for Keras compatibility; flattening is row-major either way.

    Input shape:
        `(batch, ...)`.

    Output shape:
        `(batch, product of the other sizes)`.

    Example:

    >>> minilib.layers.Flatten()(np.ones((32, 28, 28))).shape
    torch.Size([32, 784])
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format

    def call(self, inputs):
        return ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
