"""AveragePooling1D and AveragePooling2D: keep the mean of each window."""

from minilib.layers.pooling.base_pooling import BasePooling
from minilib.ops.conv import average_pool


class AveragePooling1D(BasePooling):
    """Average pooling over steps: keep the mean of each window of `pool_size` steps.

        output[t, c] = mean over a of inputs[t*s + a, c]

    With `padding="same"` a window that hangs over the end averages only the
    real values it covers: the padded zeros are not counted (as in Keras and
    TensorFlow; PyTorch's `avg_pool1d` counts them unless `count_include_pad=False`).

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

    >>> pool = minilib.layers.AveragePooling1D()    # pool_size=2, strides=pool_size
    >>> pool(np.array([[[1.0], [3.0], [5.0], [2.0]]]))
    tensor([[[2.0000],
             [3.5000]]])
    """

    pool = staticmethod(average_pool)

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, pool_size, strides, padding, data_format, **kwargs)


class AveragePooling2D(BasePooling):
    """Average pooling over height and width: keep the mean of each window.

        output[i, j, c] = mean over (a, b) of inputs[i*s + a, j*s + b, c]

    With `padding="same"` a window that hangs over the border averages only the
    real values it covers: the padded zeros are not counted (as in Keras and
    TensorFlow; PyTorch's `avg_pool2d` counts them unless `count_include_pad=False`).

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

    >>> pool = minilib.layers.AveragePooling2D(pool_size=2, padding="same")
    >>> y = pool(np.ones((1, 5, 5, 1)))
    >>> y.shape
    torch.Size([1, 3, 3, 1])
    >>> y[0, :, :, 0]                               # the border windows still average to 1
    tensor([[1., 1., 1.],
            [1., 1., 1.],
            [1., 1., 1.]])
    """

    pool = staticmethod(average_pool)

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(2, pool_size, strides, padding, data_format, **kwargs)
