"""Conv1D, Conv2D and Conv3D: learned filters slid over sequences, images or volumes."""

import torch.nn.functional as F

from minilib import constraints, initializers, regularizers
from minilib.layers.convolutional.base_conv import BaseConv
from minilib.ops.conv import conv


class Conv(BaseConv):
    """A convolution with `rank` spatial axes: what Conv1D, Conv2D and Conv3D share.

    Each of the `filters` output channels is one learned filter of size
    `kernel_size x in_channels`, applied at every position:

        output[i, j, f] = activation(bias[f] +
            sum over (a, b, c) of inputs[i*s + a*d, j*s + b*d, c] * kernel[a, b, c, f])

    with stride `s` and dilation `d` (shown for 2D). The kernel is stored as Keras
    stores it, `(kernel_h, kernel_w, in_channels // groups, filters)` — PyTorch's
    `nn.Conv2d` keeps `(filters, in_channels // groups, kernel_h, kernel_w)`. So
    `get_weights()` / `set_weights()` move weights to and from Keras unchanged.

    Args:
        filters: the number of output channels.
        kernel_size: the window size: an int, or one int per spatial axis.
        strides: how far the window moves each step (an int or one per axis).
        padding: `"valid"` (no padding) or `"same"` (zeros around the input so that
            the output has `ceil(n / strides)` positions; the extra zero of an odd
            total goes at the end). Conv1D also accepts `"causal"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: the gap between the window's taps (1: none).
        groups: split the input channels into this many groups, each convolved
            with its own `filters // groups` filters.
        activation: applied to the output; None means linear.
        use_bias: whether to add a bias per filter.
        kernel_initializer, bias_initializer: "glorot_uniform" and "zeros" by default.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional projections after each update.

    Input shape:
        `(batch, *spatial, channels)`, or `(batch, channels, *spatial)` with
        `data_format="channels_first"`.

    Output shape:
        The same with `filters` channels.
        Each spatial size `n` becomes `ceil(n / strides)` with "same" (or "causal"), or
        `floor((n - dilation_rate * (kernel_size - 1) - 1) / strides) + 1` with "valid".

    Example:

    >>> layer = minilib.layers.Conv2D(8, 3, groups=2)   # 2 groups of 2 channels in, 4 out
    >>> layer(np.ones((1, 5, 5, 4))).shape
    torch.Size([1, 3, 3, 8])
    >>> tuple(layer.kernel.shape)                       # (kernel_h, kernel_w, 4 // 2, filters)
    (3, 3, 2, 8)
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", kernel_regularizer=None,
                 kernel_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, **kwargs)
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"{type(self).__name__} '{self.name}': filters must be a positive "
                             f"int, got {filters!r}.")
        if not isinstance(groups, int) or groups <= 0 or filters % groups:
            raise ValueError(f"{type(self).__name__} '{self.name}': groups must be a positive "
                             f"int that divides filters={filters}, got groups={groups!r}.")
        self.filters = filters
        self.groups = groups
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def build_kernels(self, in_channels):
        if in_channels % self.groups:
            raise ValueError(f"{type(self).__name__} '{self.name}': the input has "
                             f"{in_channels} channels, which groups={self.groups} does not "
                             f"divide.")
        self.kernel = self.add_weight(
            name="kernel", shape=(*self.kernel_size, in_channels // self.groups, self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)

    def output_channels(self, in_channels):
        return self.filters

    def convolve(self, inputs, bias):
        padding = self.padding
        if padding == "causal":  # zeros before the sequence only, so no step sees the future
            time_axis = 1 if self.data_format == "channels_last" else 2
            before = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            # torch directly: minilib.ops has no pad op.
            inputs = F.pad(inputs, (0, 0, before, 0) if time_axis == 1 else (before, 0))
            padding = "valid"
        return conv(inputs, self.kernel, self.strides, padding, self.data_format,
                    self.dilation_rate, bias)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "groups": self.groups,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
        }


class Conv1D(Conv):
    """1D convolution over sequences, e.g. a signal or a sentence's word vectors.

    Each filter slides along the steps and looks at `kernel_size` neighbouring steps
    of all channels at once; the kernel is `(kernel_size, in_channels // groups, filters)`.
    `padding="causal"` pads `dilation_rate * (kernel_size - 1)` zeros before the
    sequence only, so output step `t` never depends on inputs after `t`. The formula
    is that of the base class `Conv`.

    Args:
        filters: the number of output channels.
        kernel_size: the window size: an int, or one int per axis (steps).
        strides: how far the window moves each step (an int or one per axis).
        padding: "valid", "same" or "causal" (zeros before the sequence only).
        data_format: "channels_last" (default) or "channels_first".
        dilation_rate: the gap between the window's taps (1: none).
        groups: split the input channels into this many groups, each with its own filters.
        activation: applied to the output; None means linear.
        use_bias: whether to add a bias per filter.
        kernel_initializer, bias_initializer: "glorot_uniform" and "zeros" by default.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional projections after each update.

    Input shape:
        `(batch, steps, channels)` (`(batch, channels, steps)` with "channels_first").

    Output shape:
        `(batch, new_steps, filters)`.
        Each spatial size `n` becomes `ceil(n / strides)` with "same" (or "causal"), or
        `floor((n - dilation_rate * (kernel_size - 1) - 1) / strides) + 1` with "valid".

    Example:

    >>> conv = minilib.layers.Conv1D(4, 3, padding="causal")
    >>> conv(np.ones((2, 10, 1))).shape
    torch.Size([2, 10, 4])
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, paddings=("valid", "same", "causal"),
                         **kwargs)


class Conv2D(Conv):
    """2D convolution over images.

    Each filter slides over the height and width and looks at a `kernel_size`
    window of all channels at once; the kernel is `(kernel_h, kernel_w, in_channels //
    groups, filters)`. The formula is that of the base class `Conv`.

    Args:
        filters: the number of output channels.
        kernel_size: the window size: an int, or one int per axis (height, width).
        strides: how far the window moves each step (an int or one per axis).
        padding: "valid" (no padding) or "same" (zeros around: `ceil(n / strides)` positions).
        data_format: "channels_last" (default) or "channels_first".
        dilation_rate: the gap between the window's taps (1: none).
        groups: split the input channels into this many groups, each with its own filters.
        activation: applied to the output; None means linear.
        use_bias: whether to add a bias per filter.
        kernel_initializer, bias_initializer: "glorot_uniform" and "zeros" by default.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional projections after each update.

    Input shape:
        `(batch, height, width, channels)` (`(batch, channels, height, width)` with
        "channels_first").

    Output shape:
        `(batch, new_height, new_width, filters)`.
        Each spatial size `n` becomes `ceil(n / strides)` with "same" (or "causal"), or
        `floor((n - dilation_rate * (kernel_size - 1) - 1) / strides) + 1` with "valid".

    Example:

    >>> conv = minilib.layers.Conv2D(8, 3, padding="same", activation="relu")
    >>> conv(np.ones((2, 28, 28, 1))).shape     # kernel (3, 3, 1, 8)
    torch.Size([2, 28, 28, 8])
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, **kwargs)


class Conv3D(Conv):
    """3D convolution over volumes, or over video clips.

    Each filter slides along depth (or time), height and width; the kernel is
    `(kernel_d, kernel_h, kernel_w, in_channels // groups, filters)`. The formula is
    that of the base class `Conv`.

    Args:
        filters: the number of output channels.
        kernel_size: the window size: an int, or one int per axis (depth, height, width).
        strides: how far the window moves each step (an int or one per axis).
        padding: "valid" (no padding) or "same" (zeros around: `ceil(n / strides)` positions).
        data_format: "channels_last" (default) or "channels_first".
        dilation_rate: the gap between the window's taps (1: none).
        groups: split the input channels into this many groups, each with its own filters.
        activation: applied to the output; None means linear.
        use_bias: whether to add a bias per filter.
        kernel_initializer, bias_initializer: "glorot_uniform" and "zeros" by default.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional penalties.
        kernel_constraint, bias_constraint: optional projections after each update.

    Input shape:
        `(batch, depth, height, width, channels)` (channels on axis 1 with
        "channels_first").

    Output shape:
        `(batch, new_depth, new_height, new_width, filters)`.
        Each spatial size `n` becomes `ceil(n / strides)` with "same" (or "causal"), or
        `floor((n - dilation_rate * (kernel_size - 1) - 1) / strides) + 1` with "valid".

    Example:

    >>> conv = minilib.layers.Conv3D(2, 3)
    >>> conv(np.ones((1, 4, 8, 8, 1))).shape    # "valid": each size shrinks by 2
    torch.Size([1, 2, 6, 6, 2])
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1, 1), groups=1, activation=None,
                 use_bias=True, **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, **kwargs)
