"""ConvLSTM3D: an LSTM over sequences of volumes, with convolutions for products."""

from minilib.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM3D(ConvLSTM):
    """ConvLSTM over sequences of volumes `(batch, time, depth, height, width, channels)`.

    Each step convolves a volume (and the previous state) along its three spatial
    axes; the formula is that of the base class `ConvLSTM`.

    Args:
        filters: channels of the output and of each state.
        kernel_size, strides, padding, data_format, dilation_rate: as `Conv3D`, for the
            input convolution (padding "valid" or "same").
        activation, recurrent_activation, use_bias, unit_forget_bias, initializers,
        regularizers, constraints, dropout, recurrent_dropout, seed: as `LSTM`.
        return_sequences, return_state, go_backwards, stateful: see `RNN`.

    Input shape:
        `(batch, time, depth, height, width, channels)` (channels after time with
        "channels_first").

    Output shape:
        `(batch, new_depth, new_height, new_width, filters)`, or with
        `return_sequences` the same with `time` after the batch.

    Example:

    >>> layer = minilib.layers.ConvLSTM3D(2, 3, padding="same")
    >>> layer(np.zeros((1, 2, 4, 4, 4, 1))).shape
    torch.Size([1, 4, 4, 4, 2])
    """

    rank = 3
