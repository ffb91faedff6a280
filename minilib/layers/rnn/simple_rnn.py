"""SimpleRNN: the plain (Elman) recurrent layer, and its cell."""

from minilib.layers.rnn import fused_kernels
from minilib.layers.rnn.base_cell import BaseRNNCell
from minilib.layers.rnn.own_cell import RNNWithOwnCell, cell_settings
from minilib.layers.rnn.rnn import cell_property

_CELL_ARGUMENTS = (
    "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
    "recurrent_dropout")  # no seed: as Keras


class SimpleRNNCell(BaseRNNCell):
    """One SimpleRNN step: `h, [h] = cell(x_t, [h_prev])`. Arguments as `SimpleRNN`.

    Example:

    >>> cell = minilib.layers.SimpleRNNCell(4)
    >>> h, states = cell(np.ones((2, 3)), [torch.zeros(2, 4)])
    >>> h.shape, [tuple(w.shape) for w in cell.weights]
    (torch.Size([2, 4]), [(3, 4), (4, 4), (4,)])
    """

    def build(self, input_shape):
        self._add_kernels(input_shape[-1])
        self._add_bias((self.units,), self.bias_initializer)

    def call(self, inputs, states, training=False):
        h = states[0] if isinstance(states, list | tuple) else states
        input_mask, recurrent_mask = self.dropout_masks(inputs, h, training)
        z = self._project(inputs, self.kernel, input_mask)
        if self.bias is not None:
            z = z + self.bias
        h = self.activation(z + self._project(h, self.recurrent_kernel, recurrent_mask))
        return h, [h]

    def get_config(self):
        config = super().get_config()
        del config["recurrent_activation"]  # a SimpleRNN has no gates
        return config


class SimpleRNN(RNNWithOwnCell):
    """Fully connected recurrent layer, whose output is its state.

    Per step::

        h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)

    Weights (Keras's layouts): `kernel` `(input_dim, units)`, `recurrent_kernel`
    `(units, units)`, `bias` `(units,)`. PyTorch's `nn.RNN` stores the two
    matrices transposed and has two biases that are simply added.

    Speed: without a mask or recurrent dropout, and with activation "tanh" or
    "relu", the layer runs the whole sequence in torch's fused `torch.rnn_tanh` /
    `torch.rnn_relu` kernel (`fused_kernels.simple_rnn_sequence`) instead of
    looping `SimpleRNNCell` in Python. It gives the loop's outputs, state and
    gradients, faster (see `RNN`).

    Args:
        units, activation ("tanh"), use_bias, the initializers, regularizers and
        constraints, dropout, recurrent_dropout, seed and the RNN arguments: as `LSTM`.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)` or `(batch, timesteps, units)`; with `return_state`, then
        the final state `(batch, units)`.

    Example:

    >>> minilib.layers.SimpleRNN(4)(np.zeros((2, 10, 3))).shape
    torch.Size([2, 4])
    """

    cell_arguments = _CELL_ARGUMENTS

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, **cell_settings(kwargs, "simple_rnn"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    units = cell_property("units")
    activation = cell_property("activation")
    use_bias = cell_property("use_bias")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

    def _can_fuse(self, masks):
        return masks[1] is None and self.cell.activation in fused_kernels.SIMPLE_RNN_KERNELS

    def _fused_call(self, sequences, states):
        """The whole sequence in one call to torch's RNN kernel: see `fused_kernels`."""
        cell = self.cell
        outputs, h = fused_kernels.simple_rnn_sequence(
            sequences=sequences, h=states[0], kernel=cell.kernel,
            recurrent_kernel=cell.recurrent_kernel, bias=cell.bias,
            activation=cell.activation, go_backwards=self.go_backwards)
        return outputs, [h]

