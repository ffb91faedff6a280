"""Conv2DTranspose: a learned upsampling, the reverse of a strided Conv2D."""

from minilib import constraints, initializers, regularizers
from minilib.layers.convolutional.arguments import standardize_tuple
from minilib.layers.convolutional.base_conv import BaseConv
from minilib.ops.conv import conv_transpose


class Conv2DTranspose(BaseConv):
    """Transposed 2D convolution: a learned upsampling, the reverse of a strided Conv2D.

    Where Conv2D gathers a window of inputs into one output, Conv2DTranspose
    scatters each input pixel, times the kernel, over a window of the output; with
    `strides=2` the image doubles in size. It is the gradient of Conv2D with
    respect to its input (and is sometimes, wrongly, called a "deconvolution"):

        output[i*s + a, j*s + b, f] += inputs[i, j, c] * kernel[a, b, f, c]

    The kernel is stored as Keras stores it, `(kernel_h, kernel_w, filters,
    in_channels)`; PyTorch's `nn.ConvTranspose2d` keeps `(in_channels, filters,
    kernel_h, kernel_w)`.

    Args:
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: as in Conv2D.
        output_padding: an int or 2 ints, each smaller than its stride: the extra
            rows/columns that pick the output size when several sizes would fit.
            None (default) gives the sizes below.
        activation, use_bias, kernel_initializer, bias_initializer,
        kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as in Conv2D.

    Input shape:
        `(batch, height, width, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        `(batch, new_height, new_width, filters)`, each new size being `n * strides`
        with `"same"` and `(n - 1) * strides + max(kernel, strides)` with `"valid"`;
        an `output_padding` `p` makes it `(n - 1) * strides + p` plus `kernel % 2`
        (same) or `kernel` (valid).

    Example:

    >>> layer = minilib.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
    >>> layer(np.ones((1, 7, 7, 8))).shape
    torch.Size([1, 14, 14, 4])
    >>> tuple(layer.kernel.shape)                # (kernel_h, kernel_w, filters, in_channels)
    (3, 3, 4, 8)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", kernel_regularizer=None,
                 kernel_constraint=None, **kwargs):
        super().__init__(2, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, **kwargs)
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"Conv2DTranspose '{self.name}': filters must be a positive int, "
                             f"got {filters!r}.")
        self.filters = filters
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(self, output_padding, 2, "output_padding",
                                                    allow_zero=True)
            if any(p >= s for p, s in zip(self.output_padding, self.strides, strict=True)):
                raise ValueError(f"Conv2DTranspose '{self.name}': output_padding must be "
                                 f"smaller than strides on every axis, got output_padding="
                                 f"{self.output_padding} and strides={self.strides}.")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def build_kernels(self, in_channels):
        self.kernel = self.add_weight(
            name="kernel", shape=(*self.kernel_size, self.filters, in_channels),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)

    def output_channels(self, in_channels):
        return self.filters

    def convolve(self, inputs, bias):
        return conv_transpose(inputs, self.kernel, self.strides, self.padding,
                              self.output_padding, self.data_format, self.dilation_rate, bias)

    def output_spatial(self, spatial):
        extras = self.output_padding or (None, None)
        return tuple(_transposed_length(size, k, s, d, self.padding, extra)
                     for size, k, s, d, extra in zip(spatial, self.kernel_size, self.strides,
                                                     self.dilation_rate, extras, strict=True))

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "output_padding": self.output_padding,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
        }


def _transposed_length(size, window, stride, dilation, padding, output_padding):
    if size is None:
        return None
    span = (window - 1) * dilation + 1
    if output_padding is None:
        return size * stride if padding == "same" else (size - 1) * stride + max(span, stride)
    return (size - 1) * stride + output_padding + (span % 2 if padding == "same" else span)
