"""LeakyReLU: ReLU whose negative side keeps a small slope, as a layer."""

from minilib import ops
from minilib.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky rectified linear unit: `f(x) = x` for x >= 0 and `negative_slope * x` otherwise.

    Unlike ReLU, negative inputs still pass a small gradient, so a unit cannot get
    stuck at 0. The layer's default slope is Keras's 0.3 (PyTorch's `nn.LeakyReLU`
    uses 0.01).

    Args:
        negative_slope: the slope for negative inputs (default 0.3).

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> minilib.layers.LeakyReLU()(np.array([[-10.0, 5.0]]))
    tensor([[-3.,  5.]])
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"LeakyReLU '{self.name}': negative_slope must be >= 0, "
                             f"got {negative_slope}.")
        self.negative_slope = negative_slope

    def call(self, inputs):
        return ops.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
