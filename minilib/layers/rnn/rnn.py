"""RNN: the layer that runs a recurrent cell over the time steps of a sequence."""

import torch

from minilib.backend import config, to_torch_dtype
from minilib.backend.variable import Variable
from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer
from minilib.layers.nested_shapes import is_shape, shapes_as_leaves
from minilib.layers.rnn.base_cell import BaseRNNCell
from minilib.serialization.object_configs import deserialize_keras_object, serialize_keras_object
from minilib.utils import tree


class RNN(Layer):
    """Loop a cell over time, with masking, go_backwards and initial states.

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

    Statefulness (Keras 3 rules). With `stateful=True` the final states of one
    batch are the initial states of the next: sample `i` of a batch continues
    sample `i` of the previous batch, so a long sequence can be fed in chunks::

        lstm = minilib.layers.LSTM(64, stateful=True)
        for chunk in chunks:             # each (batch, steps, features), same batch size
            output = lstm(chunk)         # starts where the previous chunk ended
        lstm.reset_states()              # back to zeros, for the next sequences

    The states live in `layer.states` (non-trainable variables, not among the
    weights), made when the layer is built, so the batch size must be fixed
    (`Input(shape=..., batch_size=N)` in a model). Gradients do not flow from one
    batch into the previous one. An `initial_state` passed to the call wins over
    the stored states, and the final states are stored all the same.

    Nested inputs. A custom cell may take several sequences at once, e.g.
    `rnn((x1, x2))` gives the cell `(x1[:, t], x2[:, t])` at step t; its states
    and outputs may then have several dimensions (`state_size = [4, (2, 3)]`: a
    `(batch, 4)` state and a `(batch, 2, 3)` one), and `output_size` lists one size
    per output.

    Speed. The loop above is the definition, and what runs for any cell. LSTM,
    GRU and SimpleRNN add a fast path: with no mask and no recurrent dropout they
    hand the whole sequence to PyTorch's fused kernel (`torch.lstm`, `torch.gru`,
    `torch.rnn_tanh`), converting their Keras-layout weights on the fly
    (`minilib/layers/rnn/fused_kernels.py`). That is the same computation as the
    loop, done in C++ in one call; a test checks both give the same outputs,
    states and gradients. `layer.use_fused_kernel = False` runs the loop anyway.

    Args:
        cell: a layer with `call(inputs, states)` returning `(output, new_states)`,
            a `state_size` (int or list of ints) and optionally `output_size`.
        return_sequences: return the output of every step `(batch, timesteps, units)`.
        return_state: also return the final states.
        go_backwards: process the sequence from its last step to its first.
        stateful: reuse the final states of each batch as the initial states of the next.
        unroll: accepted for Keras compatibility; it changes nothing here.
        zero_output_for_mask: output zeros (not the previous output) at padded steps.

    Attributes:
        use_fused_kernel: whether the layer may take the fused kernel when it has one
            (True); set it to False to run the step loop, e.g. to step through it.

    Input shape:
        `(batch, timesteps, features)`; call it as
        `layer(inputs, initial_state=None, mask=None, training=None)`.

    Output shape:
        `(batch, units)` or `(batch, timesteps, units)`, then one
        `(batch, size)` per state if `return_state`.

    Example:

    >>> rnn = minilib.layers.RNN(minilib.layers.LSTMCell(8), return_state=True)
    >>> output, h, c = rnn(np.zeros((2, 5, 3)))     # 2 sequences of 5 steps, 3 features
    >>> output.shape, h.shape, c.shape
    (torch.Size([2, 8]), torch.Size([2, 8]), torch.Size([2, 8]))
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        super().__init__(**kwargs)
        if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
            raise ValueError(f"{type(self).__name__} '{self.name}': expected a cell with a "
                             f"`call` method and a `state_size`, got {cell!r}.")
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.states = None  # a stateful layer's stored states, made by build
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.use_fused_kernel = True
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)

    @property
    def state_size(self):
        """The size of each state, as a list."""
        size = self.cell.state_size
        return list(size) if isinstance(size, list | tuple) else [size]

    def build(self, sequences_shape):
        nested = not is_shape(sequences_shape)
        shapes = tree.flatten(shapes_as_leaves(sequences_shape)) if nested else [sequences_shape]
        if nested:  # one spec per sequence
            self.input_spec = [InputSpec(min_ndim=3) for _ in shapes]
        if getattr(self.cell, "built", True) is False:
            step_shapes = [(shape[0], *shape[2:]) for shape in shapes]
            self.cell.build(tree.pack_as(shapes_as_leaves(sequences_shape), step_shapes)
                            if nested else step_shapes[0])
            self.cell.built = True
        if self.stateful:
            self._make_state_variables(shapes[0])

    def _make_state_variables(self, sequences_shape):
        if sequences_shape[0] is None:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' is stateful, so it needs a fixed batch "
                f"size, got input shape {tuple(sequences_shape)}. Give the model's input one: "
                f"minilib.Input(shape=..., batch_size=N).")
        self.states = [Variable(state, trainable=False, dtype=state.dtype, name="rnn_state")
                       for state in self.get_initial_state(sequences_shape[0])]

    def get_initial_state(self, batch_size):
        """The states every sequence starts from (zeros), as a list."""
        if hasattr(self.cell, "get_initial_state"):
            states = self.cell.get_initial_state(batch_size=batch_size)
            return list(states) if isinstance(states, list | tuple) else [states]
        weight = next(iter(getattr(self.cell, "weights", [])), None)
        dtype = to_torch_dtype(getattr(self.cell, "dtype", None) or config.floatx())
        device = weight.device if weight is not None else config.device()
        return [torch.zeros(batch_size, *_sizes(size), dtype=dtype, device=device)
                for size in self.state_size]

    def reset_state(self):
        """Set a stateful layer's stored states back to zeros (nothing to do otherwise)."""
        if self.states is not None:
            for state in self.states:
                state.assign(torch.zeros_like(state))

    def reset_states(self):
        """The same as `reset_state()` (Keras keeps both names)."""
        self.reset_state()

    def call(self, sequences, initial_state=None, mask=None, training=None):
        if isinstance(mask, list | tuple):  # one mask per nested input: steps are shared
            mask = next((m for m in mask if m is not None), None)
        batch_size = tree.flatten(sequences)[0].shape[0]
        if self.stateful:
            self._check_stateful_batch(batch_size)
        if initial_state is not None:
            states = list(initial_state) if isinstance(initial_state, list | tuple) \
                else [initial_state]
            self._check_states(states, batch_size)
        elif self.stateful:
            # Copies: the stored states are overwritten below, and autograd keeps these.
            states = [state.clone() for state in self.states]
        else:
            states = self.get_initial_state(batch_size)
        outputs, states = self._run(sequences, states, mask, training)
        if self.stateful:
            for stored, final in zip(self.states, states, strict=True):
                stored.assign(final.detach())
        if self.return_sequences:
            output = outputs
        else:
            output = tree.map_structure(lambda sequence: sequence[:, -1], outputs)
        return (output, *states) if self.return_state else output

    def _check_stateful_batch(self, batch_size):
        expected = self.states[0].shape[0]
        if batch_size != expected:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' is stateful: its states are for batches "
                f"of {expected} samples (sample i continues sample i of the previous batch), "
                f"got a batch of {batch_size}. Feed batches of {expected} samples.")

    def _run(self, sequences, states, mask, training):
        """All outputs `(batch, timesteps, ...)` and the final states."""
        cell = self.cell
        masks = (None, None)  # (input, recurrent) dropout masks, one per sequence
        if training and isinstance(cell, BaseRNNCell):
            masks = cell.new_dropout_masks(sequences[:, 0], states[0])
        if mask is None and self.use_fused_kernel and self._can_fuse(masks):
            if masks[0] is not None:
                sequences = sequences * masks[0].unsqueeze(1)  # same mask at every step
            return self._fused_call(sequences, states)
        cell._sequence_masks = masks
        try:
            return self._loop(sequences, states, mask, training)
        finally:
            cell._sequence_masks = None

    def _check_states(self, states, batch_size):
        expected = [(batch_size, *_sizes(size)) for size in self.state_size]
        got = [tuple(s.shape) for s in states]
        if got != expected:
            raise ValueError(f"{type(self).__name__} '{self.name}': initial_state should be "
                             f"{len(expected)} tensor(s) of shape {expected}, got {got}.")

    def _can_fuse(self, masks):
        """Subclasses with a fused torch kernel (`_fused_call`) say when it applies."""
        return False

    def _loop(self, sequences, states, mask, training):
        cell = self.cell
        step_kwargs = {"training": training} if getattr(cell, "_call_takes_training", False) \
            else {}
        steps = tree.flatten(sequences)[0].shape[1]
        time = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs, previous = [], None
        for t in time:
            step = sequences[:, t] if isinstance(sequences, torch.Tensor) else \
                tree.map_structure(lambda sequence, t=t: sequence[:, t], sequences)
            output, new_states = cell.call(step, states, **step_kwargs)
            new_states = list(new_states) if isinstance(new_states, list | tuple) \
                else [new_states]
            if mask is not None:
                keep = mask[:, t].bool()
                if previous is None or self.zero_output_for_mask:
                    previous = tree.map_structure(torch.zeros_like, output)
                output = _where(keep, output, previous)
                new_states = [_where(keep, new, old)
                              for new, old in zip(new_states, states, strict=True)]
            outputs.append(output)
            previous, states = output, new_states
        stacked = [torch.stack(per_step, dim=1)
                   for per_step in zip(*(tree.flatten(o) for o in outputs), strict=True)]
        return tree.pack_as(outputs[0], stacked), states

    def compute_mask(self, inputs, previous_mask=None):
        mask = previous_mask[0] if isinstance(previous_mask, list) else previous_mask
        output_mask = mask if self.return_sequences else None
        return [output_mask] + [None] * len(self.state_size) if self.return_state \
            else output_mask

    def compute_output_shape(self, sequences_shape):
        batch, steps = sequences_shape[:2] if is_shape(sequences_shape) else \
            tree.flatten(shapes_as_leaves(sequences_shape))[0][:2]
        time = (steps,) if self.return_sequences else ()
        output_size = getattr(self.cell, "output_size", None)
        if isinstance(output_size, list | tuple):  # one output per entry
            output = [(batch, *time, *_sizes(size)) for size in output_size]
        else:
            output = (batch, *time, *_sizes(output_size or self.state_size[0]))
        if self.return_state:
            return (output, *[(batch, *_sizes(size)) for size in self.state_size])
        return output

    def _rnn_config(self):
        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards,
                "stateful": self.stateful, "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask}

    def get_config(self):
        return {**self._rnn_config(), "cell": serialize_keras_object(self.cell)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(deserialize_keras_object(config.pop("cell")), **config)


def _sizes(size):
    """A state or output size as a shape without the batch: `4 -> (4,)`, `(2, 3) -> (2, 3)`."""
    return (size,) if isinstance(size, int) else tuple(size)


def _where(keep, new, old):
    """`new` for the samples where `keep` (shape `(batch,)`) is True, else `old`, leaf by leaf."""
    def pick(new_leaf, old_leaf):
        return torch.where(keep.view(-1, *[1] * (new_leaf.dim() - 1)), new_leaf, old_leaf)
    return tree.pack_as(new, [pick(a, b) for a, b in zip(tree.flatten(new), tree.flatten(old),
                                                          strict=True)])


def cell_property(name):
    """A read-only attribute of the layer that is the cell's attribute `name`."""
    return property(lambda self: getattr(self.cell, name),
                    doc=f"The cell's `{name}`.")
