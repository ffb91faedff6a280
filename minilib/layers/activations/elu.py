"""ELU: `f(x) = x` for x > 0 and `alpha * (exp(x) - 1)` otherwise."""

from minilib import ops
from minilib.layers.layer import Layer


class ELU(Layer):
    """Exponential linear unit with scale `alpha` for negative inputs."""

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
