"""ConvLSTM2D: an LSTM over sequences of images, with convolutions for products."""

from minilib.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    """ConvLSTM over sequences of images `(batch, time, height, width, channels)`.

    Each step convolves a frame (and the previous state) over its height and width;
    the formula is that of the base class `ConvLSTM`.

    Args:
        filters: channels of the output and of each state.
        kernel_size, strides, padding, data_format, dilation_rate: as `Conv2D`, for the
            input convolution (padding "valid" or "same").
        activation, recurrent_activation, use_bias, unit_forget_bias, initializers,
        regularizers, constraints, dropout, recurrent_dropout, seed: as `LSTM`.
        return_sequences, return_state, go_backwards, stateful: see `RNN`.

    Input shape:
        `(batch, time, height, width, channels)` (channels after time with
        "channels_first").

    Output shape:
        `(batch, new_height, new_width, filters)`, or with `return_sequences`
        `(batch, time, new_height, new_width, filters)`.

    Example:

    >>> layer = minilib.layers.ConvLSTM2D(4, 3, padding="same")
    >>> layer(np.zeros((2, 5, 8, 8, 1))).shape          # the last frame's h
    torch.Size([2, 8, 8, 4])
    """

    rank = 2
