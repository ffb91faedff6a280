"""ELU: the exponential linear unit as a layer."""

from minilib import ops
from minilib.layers.layer import Layer


class ELU(Layer):
    """Exponential linear unit: `f(x) = x` for x > 0 and `alpha * (exp(x) - 1)` otherwise.

    Negative inputs give negative outputs that level off at `-alpha`, so the mean
    activation stays nearer 0 than with ReLU, and the gradient never quite dies.

    Args:
        alpha: the scale of the negative part (default 1.0).

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> minilib.layers.ELU()(np.array([[-1.0, 0.0, 2.0]]))     # exp(-1) - 1 = -0.6321
    tensor([[-0.6321,  0.0000,  2.0000]])
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha = alpha

    def call(self, inputs):
        return ops.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
