"""SeparableConv2D: a depthwise convolution, then a 1x1 convolution that mixes channels."""

from minilib import constraints, initializers, regularizers
from minilib.layers.convolutional.base_conv import BaseConv
from minilib.ops.conv import separable_conv


class SeparableConv2D(BaseConv):
    """Depthwise-separable 2D convolution: filter each channel, then mix channels with a 1x1 kernel.

    It splits a Conv2D's work in two cheaper steps: first each input channel is
    filtered on its own (as in DepthwiseConv2D), then a pointwise (1x1) convolution
    combines the `in_channels * depth_multiplier` results into `filters` outputs:

        depthwise = depthwise_conv(inputs, depthwise_kernel)     # spatial filtering
        output = activation(depthwise @ pointwise_kernel + bias)  # channel mixing

    The kernels are stored as Keras stores them: `depthwise_kernel` is
    `(kernel_h, kernel_w, in_channels, depth_multiplier)` and `pointwise_kernel`
    is `(1, 1, in_channels * depth_multiplier, filters)`.

    Args:
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: as in Conv2D.
        depth_multiplier: depthwise filters per input channel.
        activation, use_bias, bias_initializer, bias_regularizer,
        activity_regularizer, bias_constraint: as in Conv2D.
        depthwise_initializer, pointwise_initializer: "glorot_uniform" by default.
        depthwise_regularizer, pointwise_regularizer: optional penalties.
        depthwise_constraint, pointwise_constraint: optional projections.

    Input shape:
        `(batch, height, width, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        `(batch, new_height, new_width, filters)`, the sizes as in Conv2D.

    Example:

    >>> layer = minilib.layers.SeparableConv2D(16, 3, padding="same")
    >>> layer(np.ones((1, 8, 8, 4))).shape
    torch.Size([1, 8, 8, 16])
    >>> tuple(layer.depthwise_kernel.shape), tuple(layer.pointwise_kernel.shape)
    ((3, 3, 4, 1), (1, 1, 4, 16))
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 depthwise_regularizer=None, pointwise_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, **kwargs):
        super().__init__(2, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, **kwargs)
        for argument, value in (("filters", filters), ("depth_multiplier", depth_multiplier)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"SeparableConv2D '{self.name}': {argument} must be a "
                                 f"positive int, got {value!r}.")
        self.filters = filters
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build_kernels(self, in_channels):
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=(*self.kernel_size, in_channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1, 1, in_channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)

    def output_channels(self, in_channels):
        return self.filters

    def convolve(self, inputs, bias):
        return separable_conv(inputs, self.depthwise_kernel, self.pointwise_kernel,
                              self.strides, self.padding, self.data_format, self.dilation_rate,
                              bias)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
        }
