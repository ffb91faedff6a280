"""DepthwiseConv2D: filter each input channel on its own, without mixing channels."""

from minilib import constraints, initializers, regularizers
from minilib.layers.convolutional.base_conv import BaseConv
from minilib.ops.conv import depthwise_conv


class DepthwiseConv2D(BaseConv):
    """Depthwise 2D convolution: filter each input channel on its own, without mixing channels.

    A Conv2D filter looks at all input channels at once; a depthwise filter sees
    one. Each input channel `c` gets `depth_multiplier` filters of its own:

        output[i, j, c * depth_multiplier + m] = activation(bias[...] +
            sum over (a, b) of inputs[i*s + a*d, j*s + b*d, c] * kernel[a, b, c, m])

    This costs `in_channels` times fewer multiplications than a Conv2D with as many
    outputs. The kernel is stored as Keras stores it, `(kernel_h, kernel_w,
    in_channels, depth_multiplier)`; PyTorch expresses the same layer as
    `nn.Conv2d(in, in * depth_multiplier, groups=in)` with a
    `(in * depth_multiplier, 1, kernel_h, kernel_w)` kernel.

    Args:
        kernel_size, strides, padding, data_format, dilation_rate: as in Conv2D.
        depth_multiplier: how many filters (output channels) per input channel.
        activation, use_bias, bias_initializer, bias_regularizer,
        activity_regularizer, bias_constraint: as in Conv2D.
        depthwise_initializer, depthwise_regularizer, depthwise_constraint: for
            the kernel ("glorot_uniform", None, None by default).

    Input shape:
        `(batch, height, width, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        `(batch, new_height, new_width, channels * depth_multiplier)`, the sizes as in Conv2D.

    Example:

    >>> layer = minilib.layers.DepthwiseConv2D(3, depth_multiplier=2)
    >>> layer(np.ones((1, 8, 8, 4))).shape        # kernel (3, 3, 4, 2)
    torch.Size([1, 6, 6, 8])
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", depthwise_regularizer=None,
                 depthwise_constraint=None, **kwargs):
        super().__init__(2, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, **kwargs)
        if not isinstance(depth_multiplier, int) or depth_multiplier <= 0:
            raise ValueError(f"DepthwiseConv2D '{self.name}': depth_multiplier must be a "
                             f"positive int, got {depth_multiplier!r}.")
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def build_kernels(self, in_channels):
        self.kernel = self.add_weight(
            name="kernel", shape=(*self.kernel_size, in_channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)

    def output_channels(self, in_channels):
        return in_channels * self.depth_multiplier

    def convolve(self, inputs, bias):
        return depthwise_conv(inputs, self.kernel, self.strides, self.padding,
                              self.data_format, self.dilation_rate, bias)

    def get_config(self):
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
        }
