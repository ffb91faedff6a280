"""BasePooling: what MaxPooling and AveragePooling layers share.

A pooling layer slides a `pool_size` window over the spatial axes, moving by
`strides` (by default a whole window, so windows do not overlap), and keeps one
number per window and channel: the largest value, or the mean. It has no
weights; it shrinks the input, e.g. halves an image with `pool_size=2`.

Output size along an axis of size `n`:
    `floor((n - pool_size) / strides) + 1` with `padding="valid"`,
    `ceil(n / strides)` with `padding="same"`.
"""

from minilib.layers.convolutional.arguments import (
    output_length,
    spatial_axes,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
    with_channels,
)
from minilib.layers.input_spec import InputSpec, check_input
from minilib.layers.layer import Layer


class BasePooling(Layer):
    """The shared part of the pooling layers; `pool`, the op they apply, is set by each.

    Args:
        pool_size: the window: an int, or one int per spatial axis.
        strides: how far the window moves; None (default) means `pool_size`.
        padding: "valid" (windows stay inside the input) or "same" (pad so that
            the output has `ceil(n / strides)` positions).
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, rank, pool_size, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.pool_size = standardize_tuple(self, pool_size, rank, "pool_size")
        self.strides = self.pool_size if strides is None else \
            standardize_tuple(self, strides, rank, "strides")
        self.padding = standardize_padding(self, padding)
        self.data_format = standardize_data_format(self, data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape):
        check_input(self.input_spec, input_shape, self.name)  # the rank, before using it
        self.compute_output_shape(input_shape)  # a clear error for inputs smaller than the pool

    def call(self, inputs):
        return self.pool(inputs, self.pool_size, self.strides, self.padding,
                               self.data_format)

    def compute_output_shape(self, input_shape):
        spatial = tuple(output_length(size, window, stride, self.padding) for size, window, stride
                        in zip(spatial_axes(input_shape, self.data_format), self.pool_size,
                               self.strides, strict=True))
        if any(size is not None and size <= 0 for size in spatial):
            raise ValueError(f"{type(self).__name__} '{self.name}': an input of shape "
                             f"{tuple(input_shape)} is smaller than the pool "
                             f"{self.pool_size}; use padding='same' or a smaller pool_size.")
        channel_axis = -1 if self.data_format == "channels_last" else 1
        return with_channels(input_shape[0], spatial, input_shape[channel_axis],
                             self.data_format)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format}
