"""ReLU: the rectified linear unit as a layer, with Keras's optional cap, slope and threshold."""

from minilib import activations
from minilib.layers.layer import Layer


class ReLU(Layer):
    """Rectified linear unit, optionally capped, leaky and shifted.

        f(x) = max_value                          if x >= max_value
        f(x) = x                                  if threshold <= x < max_value
        f(x) = negative_slope * (x - threshold)   otherwise

    The defaults give plain `max(x, 0)`; `ReLU(max_value=6.0)` is ReLU6.

    Args:
        max_value: cap on the output (None for no cap).
        negative_slope: slope below the threshold (0 for plain ReLU).
        threshold: inputs below it are considered "off".

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> relu = minilib.layers.ReLU(max_value=6.0, negative_slope=0.1)
    >>> relu(np.array([[-1.0, 3.0, 10.0]]))
    tensor([[-0.1000,  3.0000,  6.0000]])
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        if max_value is not None and max_value < 0:
            raise ValueError(f"ReLU '{self.name}': max_value must be >= 0, got {max_value}.")
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}
