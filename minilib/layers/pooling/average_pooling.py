"""AveragePooling1D and AveragePooling2D: keep the mean of each window.

    output[i, j, c] = mean over (a, b) of inputs[i*s + a, j*s + b, c]

With `padding="same"` a window that hangs over the border averages only the
real values it covers: the padded zeros are not counted (as in Keras and
TensorFlow; PyTorch's `avg_pool2d` counts them unless `count_include_pad=False`).

    >>> pool = minilib.layers.AveragePooling2D(pool_size=2, padding="same")
    >>> pool(np.ones((1, 5, 5, 3))).shape      # the border windows still average to 1
    torch.Size([1, 3, 3, 3])

Input shape:
    AveragePooling1D: `(batch, steps, channels)`; AveragePooling2D: `(batch,
    height, width, channels)` (channels on axis 1 with "channels_first").
Output shape:
    The same channels; each spatial size `n` becomes
    `floor((n - pool_size) / strides) + 1` ("valid") or `ceil(n / strides)` ("same").
"""

from minilib.layers.pooling.base_pooling import BasePooling
from minilib.ops.conv import average_pool


class AveragePooling1D(BasePooling):
    """Average pooling over steps; see `BasePooling` for the arguments."""

    pool = staticmethod(average_pool)

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, pool_size, strides, padding, data_format, **kwargs)


class AveragePooling2D(BasePooling):
    """Average pooling over height and width; see `BasePooling` for the arguments."""

    pool = staticmethod(average_pool)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(2, pool_size, strides, padding, data_format, **kwargs)
