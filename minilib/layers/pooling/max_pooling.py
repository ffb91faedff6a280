"""MaxPooling1D and MaxPooling2D: keep the largest value of each window."""

from minilib.layers.pooling.base_pooling import BasePooling
from minilib.ops.conv import max_pool


class MaxPooling1D(BasePooling):
    """Max pooling over steps: keep the largest value of each window of `pool_size` steps.

        output[t, c] = max over a of inputs[t*s + a, c]

    Max pooling makes a sequence of features shorter and a little insensitive to
    small shifts: a feature found anywhere in a window still shows. With
    `padding="same"` the padded positions never win (they count as -inf).

    Args:
        pool_size: the window: an int, or one int per spatial axis (default 2).
        strides: how far the window moves; None (default) means `pool_size`.
        padding: "valid" (windows stay inside the input) or "same" (pad so that
            the output has `ceil(n / strides)` positions).
        data_format: "channels_last" (default) or "channels_first".

    Input shape:
        `(batch, steps, channels)` (`(batch, channels, steps)` with "channels_first").

    Output shape:
        The same channels; each spatial size `n` becomes `floor((n - pool_size) / strides) + 1`
        ("valid") or `ceil(n / strides)` ("same").

    Example:

    >>> pool = minilib.layers.MaxPooling1D()        # pool_size=2, strides=pool_size
    >>> pool(np.array([[[1.0], [3.0], [5.0], [2.0]]]))
    tensor([[[3.],
             [5.]]])
    """

    pool = staticmethod(max_pool)

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, pool_size, strides, padding, data_format, **kwargs)


class MaxPooling2D(BasePooling):
    """Max pooling over height and width: keep the largest value of each window.

        output[i, j, c] = max over (a, b) of inputs[i*s + a, j*s + b, c]

    Max pooling makes a feature map smaller and a little insensitive to small
    shifts: a feature found anywhere in a window still shows. With
    `padding="same"` the padded positions never win (they count as -inf).

    Args:
        pool_size: the window: an int, or one int per spatial axis (default 2).
        strides: how far the window moves; None (default) means `pool_size`.
        padding: "valid" (windows stay inside the input) or "same" (pad so that
            the output has `ceil(n / strides)` positions).
        data_format: "channels_last" (default) or "channels_first".

    Input shape:
        `(batch, height, width, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        The same channels; each spatial size `n` becomes `floor((n - pool_size) / strides) + 1`
        ("valid") or `ceil(n / strides)` ("same").

    Example:

    >>> pool = minilib.layers.MaxPooling2D()        # pool_size=(2, 2), strides=pool_size
    >>> pool(np.ones((1, 28, 28, 8))).shape
    torch.Size([1, 14, 14, 8])
    """

    pool = staticmethod(max_pool)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(2, pool_size, strides, padding, data_format, **kwargs)
