"""What the built-in recurrent cells (SimpleRNNCell, LSTMCell, GRUCell) share.

A cell computes *one* time step: `output, new_states = cell(x_t, states)`. The
RNN layer calls it once per step. Three things are the same for every cell:

- the weights: an input `kernel` `(input_dim, gates * units)`, a
  `recurrent_kernel` `(units, gates * units)` and a `bias`, each with its own
  initializer, regularizer and constraint;
- recurrent dropout, Keras style: one dropout mask is drawn per *sequence*
  and reused at every step (a new mask each step would wipe out the memory);
- the configuration saved by `get_config`.
"""

import torch

from minilib import activations, constraints, initializers, random, regularizers
from minilib.layers.layer import Layer


class BaseRNNCell(Layer):
    """Weights, dropout masks and config shared by the built-in cells (not public)."""

    gates = 1  # how many blocks of `units` columns the kernels have (LSTM: 4, GRU: 3)

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"{type(self).__name__} '{self.name}': units must be a positive "
                             f"integer, got {units!r}.")
        for label, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{type(self).__name__} '{self.name}': {label} must be "
                                 f"between 0 and 1, got {rate!r}.")
        self.units = units
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.state_size = units
        self.output_size = units
        self._sequence_masks = None  # set by the RNN layer for the length of one call

    def _add_kernels(self, input_dim):
        width = self.gates * self.units
        self.kernel = self.add_weight(
            name="kernel", shape=(input_dim, width), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=(self.units, width),
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)

    def _add_bias(self, shape, initializer):
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=shape, initializer=initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def get_initial_state(self, batch_size):
        """Zeros, one `(batch_size, units)` tensor per state."""
        sizes = self.state_size if isinstance(self.state_size, list) else [self.state_size]
        return [torch.zeros(batch_size, size, dtype=self.kernel.dtype, device=self.kernel.device)
                for size in sizes]

    def new_dropout_masks(self, step_input, state):
        """Fresh `(input mask, recurrent mask)`; None where that dropout rate is 0 (or 1).

        As in Keras, a gated cell with recurrent dropout draws a separate mask per
        gate: masks then have shape `(gates, batch, size)` instead of `(batch, size)`.
        """
        count = self.gates if self.recurrent_dropout > 0 and self.gates > 1 else None

        def draw(like, rate):
            if not 0.0 < rate < 1.0:
                return None
            ones = torch.ones_like(like) if count is None else like.new_ones(count, *like.shape)
            return random.dropout(ones, rate, seed=self.seed_generator)
        return draw(step_input, self.dropout), draw(state, self.recurrent_dropout)

    def dropout_masks(self, step_input, state, training):
        """The masks for this step: the sequence's masks inside an RNN, else fresh ones."""
        if not training:
            return None, None
        return self._sequence_masks or self.new_dropout_masks(step_input, state)

    def _project(self, x, kernel, mask):
        """`x @ kernel`, with `x` dropped out first by `mask` (one mask per gate if 3-D)."""
        if mask is None:
            return x @ kernel
        if mask.dim() == x.dim():
            return (x * mask) @ kernel
        per_gate = kernel.reshape(kernel.shape[0], mask.shape[0], -1).transpose(0, 1)
        return ((x * mask) @ per_gate).transpose(0, 1).reshape(x.shape[0], -1)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
