"""BaseConv: what every convolution layer shares.

A convolution layer slides a small window over the spatial axes of its input
and, at each position, combines the window's values with learned weights:

    output[position] = activation(sum(window_at(position) * kernel) + bias)

The subclasses (Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D,
SeparableConv2D) differ only in their kernels and in the op that applies them;
this base handles the window arguments, the bias, the activation, the input
checks and the output shape.
"""

from minilib import activations, constraints, initializers, regularizers
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


class BaseConv(Layer):
    """The shared part of the convolution layers; not used directly.

    Subclasses implement `build_kernels(in_channels)`, `convolve(inputs, bias)` and
    `output_channels(in_channels)`, and may override `output_spatial(spatial)`.
    `paddings` lists the padding names the subclass accepts.
    """

    def __init__(self, rank, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, bias_initializer="zeros",
                 bias_regularizer=None, activity_regularizer=None, bias_constraint=None,
                 paddings=("valid", "same"), **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.kernel_size = standardize_tuple(self, kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(self, strides, rank, "strides")
        self.dilation_rate = standardize_tuple(self, dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(self, padding, paddings)
        self.data_format = standardize_data_format(self, data_format)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{type(self).__name__} '{self.name}': strides > 1 cannot be "
                             f"combined with dilation_rate > 1, got strides={self.strides} "
                             f"and dilation_rate={self.dilation_rate}.")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    @property
    def channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        check_input(self.input_spec, input_shape, self.name)  # the rank, before using it
        in_channels = input_shape[self.channel_axis]
        if in_channels is None:
            raise ValueError(f"{type(self).__name__} '{self.name}': the channel axis of the "
                             f"input must have a known size, got input shape {input_shape}.")
        self.compute_output_shape(input_shape)  # raises if the input is too small
        self.build_kernels(in_channels)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.output_channels(in_channels),),
                initializer=self.bias_initializer, regularizer=self.bias_regularizer,
                constraint=self.bias_constraint)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self.channel_axis: in_channels})

    def call(self, inputs):
        # The ops add the bias inside their torch call (one pass over the output, not two).
        return self.activation(self.convolve(inputs, self.bias))

    def output_spatial(self, spatial):
        """The output's spatial sizes for input spatial sizes `spatial`."""
        return tuple(output_length(size, k, s, self.padding, d) for size, k, s, d in
                     zip(spatial, self.kernel_size, self.strides, self.dilation_rate,
                         strict=True))

    def compute_output_shape(self, input_shape):
        spatial = spatial_axes(input_shape, self.data_format)
        output_spatial = self.output_spatial(spatial)
        if any(size is not None and size <= 0 for size in output_spatial):
            raise ValueError(f"{type(self).__name__} '{self.name}': an input of shape "
                             f"{tuple(input_shape)} is smaller than the window "
                             f"{self.kernel_size} (dilation {self.dilation_rate}); the "
                             f"output would have spatial shape {output_spatial}.")
        in_channels = input_shape[self.channel_axis]
        channels = None if in_channels is None else self.output_channels(in_channels)
        return with_channels(input_shape[0], output_spatial, channels, self.data_format)

    def get_config(self):
        return {
            **super().get_config(),
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
