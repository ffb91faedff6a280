"""ConvLSTM: an LSTM whose matrix products are convolutions, and its cell.

The layers for 1, 2 and 3 spatial axes are in conv_lstm1d.py, conv_lstm2d.py and
conv_lstm3d.py (as in Keras); they only set `rank`.
"""

import torch

from minilib import ops
from minilib.layers.convolutional.arguments import (
    output_length,
    spatial_axes,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
    with_channels,
)
from minilib.layers.input_spec import InputSpec
from minilib.layers.rnn.base_cell import BaseRNNCell
from minilib.layers.rnn.lstm import _ForgetBiasOne
from minilib.layers.rnn.own_cell import RNNWithOwnCell, cell_settings
from minilib.layers.rnn.rnn import cell_property


class ConvLSTMCell(BaseRNNCell):
    """One ConvLSTM step over `rank`-D frames: `h, [h, c] = cell(x_t, [h_prev, c_prev])`."""

    gates = 4

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, unit_forget_bias=True, **kwargs):
        super().__init__(filters, **kwargs)
        self.rank = rank
        self.filters = filters
        self.kernel_size = standardize_tuple(self, kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(self, strides, rank, "strides")
        self.padding = standardize_padding(self, padding)
        self.data_format = standardize_data_format(self, data_format)
        self.dilation_rate = standardize_tuple(self, dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{type(self).__name__} '{self.name}': strides > 1 cannot be "
                             f"combined with dilation_rate > 1, got strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}.")
        self.unit_forget_bias = unit_forget_bias
        self.state_size = None  # two frames `(*out_spatial, filters)`, known once built
        self.output_size = None  # the output is the `h` frame

    @property
    def channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, frame_shape):
        channels = frame_shape[self.channel_axis]
        spatial = spatial_axes(frame_shape, self.data_format)
        if channels is None or None in spatial:
            raise ValueError(f"{type(self).__name__} '{self.name}': the frames must have a "
                             f"known size, got frame shape {tuple(frame_shape)}.")
        frame = self.compute_output_shape(frame_shape)[1:]
        self.state_size = [frame, frame]
        self.kernel = self.add_weight(
            name="kernel", shape=(*self.kernel_size, channels, 4 * self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=(*self.kernel_size, self.filters, 4 * self.filters),
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        initializer = _ForgetBiasOne(self.bias_initializer, self.filters) \
            if self.unit_forget_bias else self.bias_initializer
        self._add_bias((4 * self.filters,), initializer)

    def compute_output_shape(self, frame_shape):
        spatial = tuple(output_length(size, k, s, self.padding, d) for size, k, s, d in zip(
            spatial_axes(frame_shape, self.data_format), self.kernel_size, self.strides,
            self.dilation_rate, strict=True))
        return with_channels(frame_shape[0], spatial, self.filters, self.data_format)

    def get_initial_state(self, batch_size):
        """Zeros: an `h` and a `c` frame per sample."""
        return [torch.zeros(batch_size, *size, dtype=self.kernel.dtype,
                            device=self.kernel.device) for size in self.state_size]

    def call(self, inputs, states, training=False):
        h, c = states
        input_mask, recurrent_mask = self.dropout_masks(inputs, h, training)
        z = (self._convolve(inputs, self.kernel, input_mask, self.strides, self.padding,
                            self.dilation_rate)
             + self._convolve(h, self.recurrent_kernel, recurrent_mask, 1, "same", 1))
        if self.bias is not None:
            z = z + self._along_channels(self.bias)
        i, f, g, o = z.chunk(4, dim=self.channel_axis)
        gate = self.recurrent_activation
        c = gate(f) * c + gate(i) * self.activation(g)
        h = gate(o) * self.activation(c)
        return h, [h, c]

    def _convolve(self, x, kernel, mask, strides, padding, dilation_rate):
        """`conv(x, kernel)` for the four gates at once. Dropout multiplies `x` by `mask`
        first; with one mask per gate (`(4, *x.shape)`, drawn when there is recurrent
        dropout) each gate's quarter of `kernel` sees its own masked copy of `x`."""
        def convolve(x, kernel):
            return ops.conv(x, kernel, strides, padding, self.data_format, dilation_rate)
        if mask is None:
            return convolve(x, kernel)
        if mask.dim() == x.dim():
            return convolve(x * mask, kernel)
        kernels = kernel.chunk(4, dim=-1)
        return torch.cat([convolve(x * m, k) for m, k in zip(mask, kernels, strict=True)],
                         dim=self.channel_axis)

    def _along_channels(self, bias):
        """`bias` shaped to add to a frame along its channel axis."""
        if self.data_format == "channels_last":
            return bias
        return bias.reshape(-1, *[1] * self.rank)

    def get_config(self):
        config = super().get_config()
        del config["units"]
        return {**config, "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                "unit_forget_bias": self.unit_forget_bias}


# What the layers' get_config copies from their cell's.
_CELL_ARGUMENTS = (
    "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
    "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
    "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint",
    "dropout", "recurrent_dropout", "seed")


class ConvLSTM(RNNWithOwnCell):
    """What ConvLSTM1D, 2D and 3D share; `rank` is their number of spatial axes.

    A ConvLSTM (Shi et al., 2015) is an LSTM (see `LSTM`) whose matrix products are
    convolutions. Each step takes one frame `x_t` `(batch, *spatial, channels)`;
    the states `h` and `c` are feature maps too::

        z = conv(x_t, kernel, strides, padding) + conv(h_{t-1}, recurrent_kernel, "same") + bias
        i, f, g, o = split(z, 4, channel axis)          # Keras order i, f, c, o
        c_t = sigmoid(f) * c_{t-1} + sigmoid(i) * tanh(g)
        h_t = sigmoid(o) * tanh(c_t)

    so a pixel of `h_t` depends on its neighbourhood in the frame and in the previous state:
    the layer learns how things move. The input convolution has the layer's `strides`,
    `padding` and `dilation_rate`; the recurrent one keeps the state's size (stride 1, "same").

    Weights use Keras's layouts: `kernel` `(*kernel_size, channels, 4 * filters)`,
    `recurrent_kernel` `(*kernel_size, filters, 4 * filters)`, `bias` `(4 * filters,)`.

    Args:
        filters: channels of the output and of each state.
        kernel_size, strides, padding, data_format, dilation_rate: as `Conv2D` (for the
            input convolution).
        activation, recurrent_activation, use_bias, unit_forget_bias, initializers,
        regularizers, constraints, dropout, recurrent_dropout, seed: as `LSTM`.
        return_sequences, return_state, go_backwards, stateful: see `RNN`.

    Input shape:
        `(batch, time, *spatial, channels)` (`channels_first`: `(batch, time,
        channels, *spatial)`), with 1, 2 or 3 spatial axes for ConvLSTM1D, 2D, 3D.

    Output shape:
        `(batch, *out_spatial, filters)`, or `(batch, time, *out_spatial, filters)`
        with `return_sequences`; with `return_state`, then `h` and `c`, each one frame.

    Example:

    >>> layer = minilib.layers.ConvLSTM2D(4, 3, padding="same", return_sequences=True)
    >>> layer(np.zeros((2, 5, 8, 8, 1))).shape       # 2 clips of 5 frames 8x8
    torch.Size([2, 5, 8, 8, 4])
    >>> [tuple(w.shape) for w in layer.weights]      # kernel, recurrent_kernel, bias
    [(3, 3, 1, 16), (3, 3, 4, 16), (16,)]
    """

    cell_arguments = _CELL_ARGUMENTS

    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        cell = ConvLSTMCell(
            self.rank, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            **cell_settings(kwargs, "conv_lstm"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=self.rank + 3)

    filters = cell_property("filters")
    kernel_size = cell_property("kernel_size")
    strides = cell_property("strides")
    padding = cell_property("padding")
    data_format = cell_property("data_format")
    dilation_rate = cell_property("dilation_rate")
    activation = cell_property("activation")
    recurrent_activation = cell_property("recurrent_activation")
    use_bias = cell_property("use_bias")
    dropout = cell_property("dropout")
    recurrent_dropout = cell_property("recurrent_dropout")

