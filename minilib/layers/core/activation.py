"""Activation: apply an activation function as a layer of its own.

`Dense(64, activation="relu")` and `Dense(64)` followed by `Activation("relu")`
compute the same thing; the second shows the step separately in `summary()`.
"""

from minilib import activations
from minilib.layers.layer import Layer


class Activation(Layer):
    """Apply `activation` element by element.

    Args:
        activation: a name such as "relu" or "softmax", or a function.
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
