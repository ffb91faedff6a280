"""Global pooling: one number per channel, the max or the mean over all positions."""

from minilib import ops
from minilib.layers.convolutional.arguments import standardize_data_format
from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer


class GlobalPooling(Layer):
    """The shared part of the global pooling layers; `reduce` is set by each.

    A global pooling layer keeps one number per channel: the max or the mean over
    all positions. They usually end a CNN: `(batch, 7, 7, 64)` feature maps become a
    `(batch, 64)` vector for a Dense classifier, whatever the image size.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the spatial axes, with size 1.

    Input shape:
        1D: `(batch, steps, channels)`; 2D: `(batch, height, width, channels)`
        (channels on axis 1 with "channels_first").

    Output shape:
        `(batch, channels)`, or with `keepdims=True` the input's rank with every
        spatial size 1.
    """

    def __init__(self, rank, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = standardize_data_format(self, data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=rank + 2)

    @property
    def spatial_axes(self):
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs):
        return self.reduce(inputs, axis=self.spatial_axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return tuple(1 if axis in self.spatial_axes else size
                         for axis, size in enumerate(input_shape))
        channel_axis = -1 if self.data_format == "channels_last" else 1
        return (input_shape[0], input_shape[channel_axis])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalMaxPooling1D(GlobalPooling):
    """The largest value of each channel over the steps: `output[c] = max over t of inputs[t, c]`.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the spatial axes, with size 1.

    Input shape:
        `(batch, steps, channels)` (`(batch, channels, steps)` with "channels_first").

    Output shape:
        `(batch, channels)`, or `(batch, 1, channels)` with `keepdims=True`.

    Example:

    >>> minilib.layers.GlobalMaxPooling1D()(np.array([[[1.0], [3.0], [5.0], [2.0]]]))
    tensor([[5.]])
    """

    reduce = staticmethod(ops.max)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, data_format, keepdims, **kwargs)


class GlobalMaxPooling2D(GlobalPooling):
    """The largest value of each channel over the image: `output[c] = max over (i, j) of
    inputs[i, j, c]`.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the spatial axes, with size 1.

    Input shape:
        `(batch, height, width, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        `(batch, channels)`, or `(batch, 1, 1, channels)` with `keepdims=True`.

    Example:

    >>> minilib.layers.GlobalMaxPooling2D()(np.ones((2, 7, 7, 64))).shape
    torch.Size([2, 64])
    """

    reduce = staticmethod(ops.max)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, data_format, keepdims, **kwargs)


class GlobalAveragePooling1D(GlobalPooling):
    """The mean of each channel over the steps; over the unmasked steps given a mask.

        output[c] = mean over t of inputs[t, c]

    With a mask of shape `(batch, steps)` (from `Embedding(mask_zero=True)`, say)
    it averages over the unmasked steps only, and the mask stops here:

        output[c] = sum over t of mask[t] * inputs[t, c] / sum over t of mask[t]

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the spatial axes, with size 1.

    Input shape:
        `(batch, steps, channels)` (`(batch, channels, steps)` with "channels_first").

    Output shape:
        `(batch, channels)`, or `(batch, 1, channels)` with `keepdims=True`.

    Example:

    >>> pool = minilib.layers.GlobalAveragePooling1D()
    >>> x = np.array([[[1.0], [3.0], [5.0], [2.0]]])
    >>> pool(x)
    tensor([[2.7500]])
    >>> pool(x, mask=torch.tensor([[True, True, False, False]]))   # mean of 1 and 3
    tensor([[2.]])
    """

    reduce = staticmethod(ops.mean)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, data_format, keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        steps_axis = self.spatial_axes[0]
        weights = ops.cast(ops.expand_dims(mask, 3 - steps_axis), inputs.dtype)
        total = ops.sum(ops.multiply(inputs, weights), axis=steps_axis, keepdims=self.keepdims)
        return ops.divide(total, ops.sum(weights, axis=steps_axis, keepdims=self.keepdims))

    def compute_mask(self, inputs, previous_mask=None):
        return None  # the steps are gone, and their mask with them


class GlobalAveragePooling2D(GlobalPooling):
    """The mean of each channel over the image: `output[c] = mean over (i, j) of inputs[i, j, c]`.

    Args:
        data_format: "channels_last" (default) or "channels_first".
        keepdims: keep the spatial axes, with size 1.

    Input shape:
        `(batch, height, width, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        `(batch, channels)`, or `(batch, 1, 1, channels)` with `keepdims=True`.

    Example:

    >>> pool = minilib.layers.GlobalAveragePooling2D()
    >>> pool(np.ones((2, 7, 7, 64))).shape       # (batch, channels), whatever the image size
    torch.Size([2, 64])
    """

    reduce = staticmethod(ops.mean)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, data_format, keepdims, **kwargs)
