"""LSTM: the Long Short-Term Memory layer, and its cell."""

import torch

from minilib import activations
from minilib.layers.rnn import fused_kernels
from minilib.layers.rnn.base_cell import BaseRNNCell
from minilib.layers.rnn.own_cell import RNNWithOwnCell, cell_settings
from minilib.layers.rnn.rnn import cell_property

_CELL_ARGUMENTS = (
    "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
    "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout", "seed")


class LSTMCell(BaseRNNCell):
    """One LSTM step: `h, [h, c] = cell(x_t, [h_prev, c_prev])`. Arguments as `LSTM`.

    Example:

    >>> cell = minilib.layers.LSTMCell(4)
    >>> h, (h_again, c) = cell(np.ones((2, 3)), [torch.zeros(2, 4), torch.zeros(2, 4)])
    >>> h.shape, c.shape
    (torch.Size([2, 4]), torch.Size([2, 4]))
    """

    gates = 4

    def __init__(self, units, unit_forget_bias=True, **kwargs):
        super().__init__(units, **kwargs)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [units, units]

    def build(self, input_shape):
        self._add_kernels(input_shape[-1])
        initializer = _ForgetBiasOne(self.bias_initializer, self.units) \
            if self.unit_forget_bias else self.bias_initializer
        self._add_bias((4 * self.units,), initializer)

    def call(self, inputs, states, training=False):
        h, c = states
        input_mask, recurrent_mask = self.dropout_masks(inputs, h, training)
        z = self._project(inputs, self.kernel, input_mask) + \
            self._project(h, self.recurrent_kernel, recurrent_mask)
        if self.bias is not None:
            z = z + self.bias
        i, f, g, o = z.chunk(4, dim=-1)
        gate = self.recurrent_activation
        c = gate(f) * c + gate(i) * self.activation(g)
        h = gate(o) * self.activation(c)
        return h, [h, c]

    def get_config(self):
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


class _ForgetBiasOne:
    """Bias initializer: `initializer` everywhere but ones for the forget gate."""

    def __init__(self, initializer, units):
        self.initializer, self.units = initializer, units

    def __call__(self, shape, dtype=None):
        input_gate = self.initializer((self.units,), dtype=dtype)
        return torch.cat([input_gate, torch.ones_like(input_gate),
                          self.initializer((2 * self.units,), dtype=dtype)])


class LSTM(RNNWithOwnCell):
    """Long Short-Term Memory layer (Hochreiter & Schmidhuber, 1997).

    An LSTM keeps two states, the output `h` and a memory cell `c`. At each step
    four gates are computed from the input `x_t` and the previous output::

        z = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias       # (batch, 4 * units)
        i, f, g, o = split(z, 4)                                    # Keras order i, f, c, o
        i, f, o = sigmoid(i), sigmoid(f), sigmoid(o)                # recurrent_activation
        c_t = f * c_{t-1} + i * tanh(g)                             # forget some, write some
        h_t = o * tanh(c_t)                                         # activation

    Weights use Keras's layouts: `kernel` `(input_dim, 4 * units)`,
    `recurrent_kernel` `(units, 4 * units)`, `bias` `(4 * units,)`, so
    `get_weights`/`set_weights` exchange weights with Keras unchanged. PyTorch's
    `nn.LSTM` has the same gate order but stores `kernel.T` as `weight_ih_l0`,
    `recurrent_kernel.T` as `weight_hh_l0` and splits the bias in two.
    `unit_forget_bias=True` starts the forget-gate bias at 1, so the cell
    remembers by default.

    Speed: without a mask or recurrent dropout, and with the default activations,
    the layer runs the whole sequence in torch's fused `torch.lstm` kernel
    (`fused_kernels.lstm_sequence`) instead of looping `LSTMCell` in Python. It
    gives the loop's outputs, states and gradients, faster (see `RNN`).

    Args:
        units: size of the output and of each state.
        activation, recurrent_activation: default "tanh" and "sigmoid".
        use_bias, unit_forget_bias: add a bias; start its forget-gate part at 1.
        kernel_initializer, recurrent_initializer, bias_initializer: default
            "glorot_uniform", "orthogonal", "zeros". Each weight also takes a
            `*_regularizer` and a `*_constraint`.
        dropout, recurrent_dropout: fraction of the inputs / of the recurrent state
            dropped while training (one mask per sequence).
        seed: for the dropout masks.
        return_sequences, return_state, go_backwards, stateful, unroll: see `RNN`.
        use_cudnn: accepted for Keras compatibility; not saved, as in Keras.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)`, or `(batch, timesteps, units)` with `return_sequences`;
        with `return_state`, then `h` and `c`, `(batch, units)` each.

    Example:

    >>> lstm = minilib.layers.LSTM(4, return_sequences=True)
    >>> lstm(np.zeros((2, 10, 3))).shape
    torch.Size([2, 10, 4])
    >>> [tuple(w.shape) for w in lstm.weights]      # kernel, recurrent_kernel, bias
    [(3, 16), (4, 16), (16,)]
    """

    cell_arguments = _CELL_ARGUMENTS

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, **cell_settings(kwargs, "lstm"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn  # accepted for Keras compatibility; not saved, as in Keras

    units = cell_property("units")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def _can_fuse(self, masks):
        cell = self.cell
        return (masks[1] is None and cell.activation is activations.tanh
                and cell.recurrent_activation is activations.sigmoid)

    def _fused_call(self, sequences, states):
        """The whole sequence in one call to torch's LSTM kernel: see `fused_kernels`."""
        cell = self.cell
        outputs, h, c = fused_kernels.lstm_sequence(
            sequences=sequences, h=states[0], c=states[1], kernel=cell.kernel,
            recurrent_kernel=cell.recurrent_kernel, bias=cell.bias,
            go_backwards=self.go_backwards)
        return outputs, [h, c]

