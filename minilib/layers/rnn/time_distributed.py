"""TimeDistributed: the wrapper that applies one layer to every time step of a sequence."""

from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer
from minilib.serialization.object_configs import deserialize_keras_object, serialize_keras_object


class TimeDistributed(Layer):
    """Apply `layer` to each time step of a sequence, with shared weights.

    The wrapped layer sees one step at a time::

        output[:, t] = layer(inputs[:, t])        for every t

    It is computed in one go by folding time into the batch: the input
    `(batch, timesteps, ...)` is reshaped to `(batch * timesteps, ...)`, the layer
    runs once, and the result is unfolded back to `(batch, timesteps, ...)`. (A
    Dense layer already works on the last axis of any input; TimeDistributed
    matters for layers that need one sample at a time, such as Conv2D on video.)

    Args:
        layer: the layer to apply at each step.

    Input shape:
        `(batch, timesteps, ...)`.

    Output shape:
        `(batch, timesteps, ...)`, with the layer's output per step.

    Example:

    >>> td = minilib.layers.TimeDistributed(minilib.layers.Dense(4))
    >>> td(np.zeros((2, 10, 3))).shape
    torch.Size([2, 10, 4])
    """

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed '{self.name}': expected a Layer to wrap, got "
                             f"{layer!r}.")
        self.layer = layer
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)

    def build(self, input_shape):
        if not self.layer.built:
            self.layer._maybe_build((input_shape[0], *input_shape[2:]))

    def call(self, inputs, training=None):
        batch, steps = inputs.shape[:2]
        outputs = self.layer(inputs.reshape(batch * steps, *inputs.shape[2:]), training=training)
        return outputs.reshape(batch, steps, *outputs.shape[1:])

    def compute_output_shape(self, input_shape):
        step_shape = self.layer.compute_output_shape((input_shape[0], *input_shape[2:]))
        return (step_shape[0], input_shape[1], *step_shape[1:])

    def get_config(self):
        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(deserialize_keras_object(config.pop("layer")), **config)
