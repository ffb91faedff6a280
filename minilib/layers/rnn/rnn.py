"""RNN: run a recurrent *cell* over the time steps of a sequence.

A cell computes one step; the RNN layer loops over time::

    states = initial_state                 # zeros unless given
    for t in range(timesteps):             # from the end if go_backwards=True
        output_t, states = cell(x[:, t], states)

and returns the last `output_t` (or all of them with `return_sequences=True`),
followed by the final `states` if `return_state=True`.

Masking (Keras 3 rules). With a mask `(batch, timesteps)`, a padded step
changes nothing: for each sample where `mask[:, t]` is False,

    states_t = states_{t-1}            output_t = output_{t-1}  (zeros before any real step)

so the final output of a padded sequence equals that of the unpadded one. With
`zero_output_for_mask=True` (which Bidirectional sets) padded outputs are zeros.
With `go_backwards=True` the outputs come in processing order, i.e. reversed.

Speed. LSTM, GRU and SimpleRNN add a fast path: with no mask and no recurrent
dropout they hand the whole sequence to PyTorch's fused kernel (`torch.lstm`,
`torch.gru`, `torch.rnn_tanh`), converting their Keras-layout weights on the
fly. That is the same computation as the loop, done in C++ in one call.

Args:
    cell: a layer with `call(inputs, states)` returning `(output, new_states)`,
        a `state_size` (int or list of ints) and optionally `output_size`.
    return_sequences: return the output of every step `(batch, timesteps, units)`.
    return_state: also return the final states.
    go_backwards: process the sequence from its last step to its first.
    stateful: only False is supported: pass states on with `initial_state`.
    unroll: accepted for Keras compatibility; it changes nothing here.
    zero_output_for_mask: output zeros (not the previous output) at padded steps.

Input shape: `(batch, timesteps, features)`; call it as
`layer(inputs, initial_state=None, mask=None, training=None)`.
Output shape: `(batch, units)` or `(batch, timesteps, units)`, then one
`(batch, size)` per state if `return_state`.

    >>> lstm = minilib.layers.LSTM(8, return_state=True)
    >>> output, h, c = lstm(np.zeros((2, 5, 3)))     # shapes (2, 8), (2, 8), (2, 8)
"""

import torch

from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer
from minilib.layers.rnn.base_cell import BaseRNNCell


class RNN(Layer):
    """Loop a cell over time, with masking, go_backwards and initial states."""

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        super().__init__(**kwargs)
        if stateful:
            raise NotImplementedError(
                f"{type(self).__name__} '{self.name}': expected stateful=False, got "
                f"stateful=True, which minilib does not support. Pass the states returned "
                f"with return_state=True as the next call's initial_state instead.")
        if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
            raise ValueError(f"{type(self).__name__} '{self.name}': expected a cell with a "
                             f"`call` method and a `state_size`, got {cell!r}.")
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = False
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)

    @property
    def state_size(self):
        """The size of each state, as a list."""
        size = self.cell.state_size
        return list(size) if isinstance(size, list | tuple) else [size]

    def build(self, sequences_shape):
        if not self.cell.built:
            self.cell.build((sequences_shape[0], *sequences_shape[2:]))
            self.cell.built = True

    def call(self, sequences, initial_state=None, mask=None, training=None):
        if initial_state is None:
            states = self._zero_states(sequences)
        else:
            states = list(initial_state) if isinstance(initial_state, list | tuple) \
                else [initial_state]
            self._check_states(states, sequences.shape[0])
        cell = self.cell
        masks = (None, None)  # (input, recurrent) dropout masks, one per sequence
        if training and isinstance(cell, BaseRNNCell):
            masks = cell.new_dropout_masks(sequences[:, 0], states[0])
        if mask is None and self._can_fuse(masks):
            if masks[0] is not None:
                sequences = sequences * masks[0].unsqueeze(1)  # same mask at every step
            outputs, states = self._fused_call(sequences, states)
        else:
            cell._sequence_masks = masks
            try:
                outputs, states = self._loop(sequences, states, mask, training)
            finally:
                cell._sequence_masks = None
        output = outputs if self.return_sequences else outputs[:, -1]
        return (output, *states) if self.return_state else output

    def _zero_states(self, sequences):
        if hasattr(self.cell, "get_initial_state"):
            return list(self.cell.get_initial_state(sequences.shape[0]))
        return [sequences.new_zeros(sequences.shape[0], size) for size in self.state_size]

    def _check_states(self, states, batch_size):
        expected = [(batch_size, size) for size in self.state_size]
        got = [tuple(s.shape) for s in states]
        if got != expected:
            raise ValueError(f"{type(self).__name__} '{self.name}': initial_state should be "
                             f"{len(expected)} tensor(s) of shape {expected}, got {got}.")

    def _can_fuse(self, masks):
        """Subclasses with a fused torch kernel say when it applies."""
        return False

    def _loop(self, sequences, states, mask, training):
        cell = self.cell
        step_kwargs = {"training": training} if cell._call_takes_training else {}
        time = range(sequences.shape[1] - 1, -1, -1) if self.go_backwards \
            else range(sequences.shape[1])
        outputs, previous = [], None
        for t in time:
            output, new_states = cell.call(sequences[:, t], states, **step_kwargs)
            new_states = list(new_states) if isinstance(new_states, list | tuple) \
                else [new_states]
            if mask is not None:
                keep = mask[:, t].bool().unsqueeze(-1)
                if previous is None or self.zero_output_for_mask:
                    previous = torch.zeros_like(output)
                output = torch.where(keep, output, previous)
                new_states = [torch.where(keep, new, old)
                              for new, old in zip(new_states, states, strict=True)]
            outputs.append(output)
            previous, states = output, new_states
        return torch.stack(outputs, dim=1), states

    def compute_mask(self, inputs, previous_mask=None):
        mask = previous_mask[0] if isinstance(previous_mask, list) else previous_mask
        output_mask = mask if self.return_sequences else None
        return [output_mask] + [None] * len(self.state_size) if self.return_state \
            else output_mask

    def compute_output_shape(self, sequences_shape):
        batch = sequences_shape[0]
        units = getattr(self.cell, "output_size", None) or self.state_size[0]
        output = (batch, sequences_shape[1], units) if self.return_sequences else (batch, units)
        if self.return_state:
            return (output, *[(batch, size) for size in self.state_size])
        return output

    def _rnn_config(self):
        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards,
                "stateful": self.stateful, "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask}

    def get_config(self):
        from minilib.saving.serialization import serialize_keras_object

        return {**self._rnn_config(), "cell": serialize_keras_object(self.cell)}

    @classmethod
    def from_config(cls, config):
        from minilib.saving.serialization import deserialize_keras_object

        config = dict(config)
        return cls(deserialize_keras_object(config.pop("cell")), **config)


def cell_property(name):
    """A read-only attribute of the layer that is the cell's attribute `name`."""
    return property(lambda self: getattr(self.cell, name),
                    doc=f"The cell's `{name}`.")
