"""MaxPooling1D and MaxPooling2D: keep the largest value of each window.

    output[i, j, c] = max over (a, b) of inputs[i*s + a, j*s + b, c]

Max pooling makes a feature map smaller and a little insensitive to small
shifts: a feature found anywhere in a window still shows. With
`padding="same"` the padded positions never win (they count as -inf).

    >>> pool = minilib.layers.MaxPooling2D()       # pool_size=(2, 2), strides=pool_size
    >>> pool(np.ones((1, 28, 28, 8))).shape
    torch.Size([1, 14, 14, 8])

Input shape:
    MaxPooling1D: `(batch, steps, channels)`; MaxPooling2D: `(batch, height,
    width, channels)` (channels on axis 1 with "channels_first").
Output shape:
    The same channels; each spatial size `n` becomes
    `floor((n - pool_size) / strides) + 1` ("valid") or `ceil(n / strides)` ("same").
"""

from minilib.layers.pooling.base_pooling import BasePooling
from minilib.ops.conv import max_pool


class MaxPooling1D(BasePooling):
    """Max pooling over steps; see `BasePooling` for the arguments."""

    pool = staticmethod(max_pool)

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, pool_size, strides, padding, data_format, **kwargs)


class MaxPooling2D(BasePooling):
    """Max pooling over height and width; see `BasePooling` for the arguments."""

    pool = staticmethod(max_pool)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(2, pool_size, strides, padding, data_format, **kwargs)
