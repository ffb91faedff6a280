"""ConvLSTM1D: an LSTM over sequences of 1-D signals, with convolutions for products."""

from minilib.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM1D(ConvLSTM):
    """ConvLSTM over sequences of 1-D signals `(batch, time, length, channels)`.

    Each step convolves a signal (and the previous state) along its length;
    the formula is that of the base class `ConvLSTM`.

    Args:
        filters: channels of the output and of each state.
        kernel_size, strides, padding, data_format, dilation_rate: as `Conv1D`, for the
            input convolution (padding "valid" or "same").
        activation, recurrent_activation, use_bias, unit_forget_bias, initializers,
        regularizers, constraints, dropout, recurrent_dropout, seed: as `LSTM`.
        return_sequences, return_state, go_backwards, stateful: see `RNN`.

    Input shape:
        `(batch, time, length, channels)` (`(batch, time, channels, length)` with
        "channels_first").

    Output shape:
        `(batch, new_length, filters)`, or `(batch, time, new_length, filters)` with
        `return_sequences`.

    Example:

    >>> layer = minilib.layers.ConvLSTM1D(2, 3)         # "valid": length 10 becomes 8
    >>> layer(np.zeros((1, 4, 10, 1))).shape
    torch.Size([1, 8, 2])
    """

    rank = 1
