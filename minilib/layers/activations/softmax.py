"""Softmax: turn scores into probabilities, as a layer."""

from minilib import ops
from minilib.layers.layer import Layer


class Softmax(Layer):
    """Softmax over `axis`: scores become probabilities that sum to 1.

        softmax(x)_i = exp(x_i) / sum_j exp(x_j)

    Args:
        axis: the axis along which the probabilities sum to 1 (default -1, the last).

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> minilib.layers.Softmax()(np.array([[1.0, 1.0], [2.0, 2.0]]))
    tensor([[0.5000, 0.5000],
            [0.5000, 0.5000]])
    """

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
