"""Identity: a layer that returns its input unchanged (a placeholder in a model's graph)."""

from minilib.layers.layer import Layer


class Identity(Layer):
    """Pass the input through unchanged.

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> minilib.layers.Identity()(np.array([[1.0, 2.0]]))
    tensor([[1., 2.]])
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
