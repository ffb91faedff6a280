"""Softmax: turn scores into probabilities that sum to 1 along `axis`.

    softmax(x)_i = exp(x_i) / sum_j exp(x_j)
"""

from minilib import ops
from minilib.layers.layer import Layer


class Softmax(Layer):
    """Softmax over `axis` (the last one by default)."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = axis

    def call(self, inputs):
        return ops.softmax(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
