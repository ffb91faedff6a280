"""Activation: an activation function as a layer of its own."""

from minilib import activations
from minilib.layers.layer import Layer


class Activation(Layer):
    """Apply `activation` element by element.

    `Dense(64, activation="relu")` and `Dense(64)` followed by `Activation("relu")`
    compute the same thing; the second shows the step separately in `summary()`.

    Args:
        activation: a name such as "relu" or "softmax", or a function.

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> minilib.layers.Activation("relu")(np.array([[-1.0, 2.0]]))
    tensor([[0., 2.]])
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
