"""Bidirectional: the wrapper that reads a sequence both ways with an RNN."""

import torch

from minilib.layers.layer import Layer
from minilib.serialization.object_configs import deserialize_keras_object, serialize_keras_object

_MERGES = {
    "concat": lambda a, b: torch.cat([a, b], dim=-1),
    "sum": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "ave": lambda a, b: (a + b) / 2,
}


class Bidirectional(Layer):
    """Run an RNN forwards and backwards over the same input and merge the two results.

    A forward RNN sees the past of each step; a second copy that runs backwards
    (`go_backwards=True`) sees its future. Bidirectional runs both on the same
    input and merges their outputs::

        y_forward  = layer(x)
        y_backward = flip(backward_layer(x))      # flipped back to the original order
        output = concat([y_forward, y_backward])  # merge_mode "concat" (default)

    The two layers have separate weights: `forward_layer` is a fresh copy of
    `layer` (made from its config) and `backward_layer`, unless given, a copy with
    `go_backwards` switched on. With return_sequences, padded (masked) steps
    output zeros in both directions, as in Keras.

    Args:
        layer: an RNN layer (LSTM, GRU, SimpleRNN or RNN).
        merge_mode: "concat", "sum", "mul", "ave" or None (return both outputs).
        backward_layer: optional layer for the backward direction; it must have
            `go_backwards=True` and the same return_sequences / return_state / stateful.

    Input shape:
        `(batch, timesteps, features)`; call it as
        `layer(inputs, initial_state=None, mask=None, training=None)`, where
        `initial_state` lists the forward states, then the backward ones.

    Output shape:
        The wrapped layer's, with the last axis doubled for "concat"; with
        `return_state`, then the forward states and the backward states.

    Example:

    >>> bi = minilib.layers.Bidirectional(minilib.layers.LSTM(4))
    >>> bi(np.zeros((2, 10, 3))).shape               # 4 forward + 4 backward features
    torch.Size([2, 8])
    """

    def __init__(self, layer, merge_mode="concat", backward_layer=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer) or not hasattr(layer, "go_backwards"):
            raise ValueError(f"Bidirectional '{self.name}': expected an RNN layer (with "
                             f"`go_backwards`), got {layer!r}.")
        if merge_mode not in (*_MERGES, None):
            raise ValueError(f"Bidirectional '{self.name}': merge_mode must be one of "
                             f"'concat', 'sum', 'mul', 'ave' or None, got {merge_mode!r}.")
        self.forward_layer = _copy(layer, "forward_", layer.go_backwards)
        self.backward_layer = backward_layer if backward_layer is not None else \
            _copy(layer, "backward_", not layer.go_backwards)
        for name in ("return_sequences", "return_state", "stateful"):
            forward, backward = getattr(self.forward_layer, name), \
                getattr(self.backward_layer, name)
            if forward != backward:
                raise ValueError(f"Bidirectional '{self.name}': the forward and backward "
                                 f"layers must have the same {name}, got {forward} and "
                                 f"{backward}.")
        if self.forward_layer.go_backwards == self.backward_layer.go_backwards:
            raise ValueError(f"Bidirectional '{self.name}': the backward layer must have "
                             f"go_backwards={not self.forward_layer.go_backwards}, got "
                             f"{self.backward_layer.go_backwards}.")
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = layer.stateful
        for direction in (self.forward_layer, self.backward_layer):
            direction.zero_output_for_mask = self.return_sequences
        self.supports_masking = True

    @property
    def states(self):
        """A stateful layer's stored states: the forward ones, then the backward ones."""
        if self.forward_layer.states is None or self.backward_layer.states is None:
            return None
        return [*self.forward_layer.states, *self.backward_layer.states]

    def reset_state(self):
        """Set the stored states of both directions back to zeros."""
        if not self.stateful:
            raise AttributeError(f"Bidirectional '{self.name}' is not stateful, so it has no "
                                 f"states to reset. Wrap an RNN made with stateful=True.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self):
        """The same as `reset_state()` (Keras keeps both names)."""
        self.reset_state()

    def build(self, sequences_shape):
        for direction in (self.forward_layer, self.backward_layer):
            if not direction.built:
                direction._maybe_build(sequences_shape)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        kwargs = {"mask": mask, "training": training}
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_reverse = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = (*y[1:], *y_reverse[1:])
            y, y_reverse = y[0], y_reverse[0]
        if self.return_sequences:
            y_reverse = y_reverse.flip(1)
        if self.merge_mode is None:
            return (y, y_reverse, *states)
        output = _MERGES[self.merge_mode](y, y_reverse)
        return (output, *states) if self.return_state else output

    def compute_mask(self, inputs, previous_mask=None):
        mask = previous_mask[0] if isinstance(previous_mask, list) else previous_mask
        output_mask = mask if self.return_sequences else None
        outputs = [output_mask] * (2 if self.merge_mode is None else 1)
        if self.return_state:
            return outputs + [None] * (2 * len(self.forward_layer.state_size))
        return outputs if self.merge_mode is None else output_mask

    def compute_output_shape(self, sequences_shape):
        shapes = self.forward_layer.compute_output_shape(sequences_shape)
        output, states = (shapes[0], shapes[1:]) if self.return_state else (shapes, ())
        if self.merge_mode == "concat":
            output = (*output[:-1], output[-1] * 2)
        outputs = (output, output) if self.merge_mode is None else (output,)
        if not self.return_state and self.merge_mode is not None:
            return output
        return (*outputs, *states, *states)

    def get_config(self):
        def describe(layer):  # from_config makes fresh copies, so no build_config
            return {k: v for k, v in serialize_keras_object(layer).items() if k != "build_config"}
        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": describe(self.forward_layer),
                "backward_layer": describe(self.backward_layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"])
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_keras_object(config["backward_layer"])
        return cls(**config)


def _copy(layer, prefix, go_backwards):
    """A fresh, unbuilt layer with `layer`'s config, a prefixed name and `go_backwards`."""
    name = layer.name.removeprefix("forward_").removeprefix("backward_")
    return type(layer).from_config({**layer.get_config(), "name": prefix + name,
                                    "go_backwards": go_backwards})
