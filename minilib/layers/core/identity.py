"""Identity: returns its input unchanged (a placeholder in a model's graph)."""

from minilib.layers.layer import Layer


class Identity(Layer):
    """Pass the input through unchanged."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
