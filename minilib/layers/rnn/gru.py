"""GRU: the Gated Recurrent Unit layer, and its cell."""

from minilib import activations
from minilib.layers.rnn import fused_kernels
from minilib.layers.rnn.base_cell import BaseRNNCell
from minilib.layers.rnn.own_cell import RNNWithOwnCell, cell_settings
from minilib.layers.rnn.rnn import cell_property

_CELL_ARGUMENTS = (
    "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
    "recurrent_initializer", "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
    "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint",
    "dropout", "recurrent_dropout", "seed", "reset_after")


class GRUCell(BaseRNNCell):
    """One GRU step: `h, [h] = cell(x_t, [h_prev])`. Arguments as `GRU`.

    Example:

    >>> cell = minilib.layers.GRUCell(4)
    >>> h, states = cell(np.ones((2, 3)), [torch.zeros(2, 4)])
    >>> h.shape, [tuple(w.shape) for w in cell.weights]
    (torch.Size([2, 4]), [(3, 12), (4, 12), (2, 12)])
    """

    gates = 3

    def __init__(self, units, reset_after=True, **kwargs):
        super().__init__(units, **kwargs)
        self.reset_after = reset_after

    def build(self, input_shape):
        self._add_kernels(input_shape[-1])
        shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        self._add_bias(shape, self.bias_initializer)

    def call(self, inputs, states, training=False):
        h = states[0] if isinstance(states, list | tuple) else states
        input_mask, recurrent_mask = self.dropout_masks(inputs, h, training)
        input_bias, recurrent_bias = self._biases()
        x_z, x_r, x_h = self._project(inputs, self.kernel, input_mask).chunk(3, dim=-1)
        if self.reset_after:
            inner = self._project(h, self.recurrent_kernel, recurrent_mask)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            h_z, h_r, h_h = inner.chunk(3, dim=-1)
        else:
            u_zr, u_h = self.recurrent_kernel.split([2 * self.units, self.units], dim=-1)
            zr_mask = recurrent_mask[:2] if recurrent_mask is not None and \
                recurrent_mask.dim() == 3 else recurrent_mask
            h_z, h_r = self._project(h, u_zr, zr_mask).chunk(2, dim=-1)
        if input_bias is not None:
            b_z, b_r, b_h = input_bias.chunk(3)
            x_z, x_r, x_h = x_z + b_z, x_r + b_r, x_h + b_h
        z = self.recurrent_activation(x_z + h_z)
        r = self.recurrent_activation(x_r + h_r)
        if self.reset_after:
            candidate = self.activation(x_h + r * h_h)
        else:
            h_for_candidate = h if recurrent_mask is None else \
                h * (recurrent_mask[2] if recurrent_mask.dim() == 3 else recurrent_mask)
            candidate = self.activation(x_h + (r * h_for_candidate) @ u_h)
        h = z * h + (1 - z) * candidate
        return h, [h]

    def _biases(self):
        if self.bias is None:
            return None, None
        return (self.bias[0], self.bias[1]) if self.reset_after else (self.bias, None)

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after}


class GRU(RNNWithOwnCell):
    """Gated Recurrent Unit layer (Cho et al., 2014), a lighter LSTM with one state.

    Per step, from the input `x_t` and the previous state `h`, with Keras's gate
    order z (update), r (reset), h (candidate)::

        x_z, x_r, x_h = split(x_t @ kernel + input_bias, 3)
        h_z, h_r, h_h = split(h @ recurrent_kernel + recurrent_bias, 3)
        z = sigmoid(x_z + h_z)                        # how much of the old state to keep
        r = sigmoid(x_r + h_r)                        # how much of it the candidate sees
        candidate = tanh(x_h + r * h_h)               # reset_after=True (the default)
        h_t = z * h + (1 - z) * candidate

    With `reset_after=False` (the original paper) the reset gate is applied before
    the product: `candidate = tanh(x_h + (r * h) @ recurrent_kernel_h)`, and
    there is a single `(3 * units,)` bias.

    Weights (Keras's layouts): `kernel` `(input_dim, 3 * units)`,
    `recurrent_kernel` `(units, 3 * units)`, and with `reset_after=True` a
    `bias` of shape `(2, 3 * units)`: row 0 for the input, row 1 for the
    recurrent part. PyTorch's `nn.GRU` computes the reset_after form too, but
    orders the gates r, z, n and stores transposed matrices.

    Speed: with `reset_after=True`, no mask, no recurrent dropout and the default
    activations, the layer runs the whole sequence in torch's fused `torch.gru`
    kernel (`fused_kernels.gru_sequence`, which reorders the gate blocks) instead
    of looping `GRUCell` in Python. It gives the loop's outputs, state and
    gradients, faster (see `RNN`). `reset_after=False` always runs the loop.

    Args:
        units, activation, recurrent_activation, use_bias, the initializers,
        regularizers and constraints, dropout, recurrent_dropout, seed and the
        RNN arguments: as `LSTM`.
        reset_after: apply the reset gate after the recurrent product (default True).

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)` or `(batch, timesteps, units)`; with `return_state`, then
        the final state `(batch, units)`.

    Example:

    >>> gru = minilib.layers.GRU(4)
    >>> gru(np.zeros((2, 10, 3))).shape
    torch.Size([2, 4])
    >>> [tuple(w.shape) for w in gru.weights]       # kernel, recurrent_kernel, bias
    [(3, 12), (4, 12), (2, 12)]
    """

    cell_arguments = _CELL_ARGUMENTS

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            reset_after=reset_after, **cell_settings(kwargs, "gru"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn  # accepted for Keras compatibility; not saved, as in Keras

    units = cell_property("units")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    reset_after = cell_property("reset_after")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def _can_fuse(self, masks):
        cell = self.cell
        return (masks[1] is None and cell.reset_after and cell.activation is activations.tanh
                and cell.recurrent_activation is activations.sigmoid)

    def _fused_call(self, sequences, states):
        """The whole sequence in one call to torch's GRU kernel: see `fused_kernels`."""
        cell = self.cell
        outputs, h = fused_kernels.gru_sequence(
            sequences=sequences, h=states[0], kernel=cell.kernel,
            recurrent_kernel=cell.recurrent_kernel, bias=cell.bias,
            go_backwards=self.go_backwards)
        return outputs, [h]

