"""Convolution and pooling ops with Keras's conventions, computed by torch.

Keras and PyTorch disagree on three things, and these ops take Keras's side:

1. **Channels last.** Images are `(batch, height, width, channels)` unless
   `data_format="channels_first"`; torch wants channels first, so the ops move
   the channel axis (a free view, no copy) and move it back afterwards.
2. **Kernel layout.** A Keras kernel is `(*window, in_channels, out_channels)`;
   torch's is `(out_channels, in_channels, *window)`, so the kernel is permuted.
3. **"same" padding.** The output has `ceil(size / stride)` positions. That
   needs `pad = (out - 1) * stride + window - size` zeros in total, split as
   `pad // 2` before and the rest *after* (so one more at the bottom/right when
   the total is odd). Torch's `padding="same"` refuses strides > 1, so these
   ops pad explicitly.

One addition to Keras: the convolutions take an optional `bias` (one value per
output channel), added inside the same torch call rather than by a separate
`ops.add` over the whole output, as `ops.linear` does for Dense layers.

    >>> from minilib import ops
    >>> images = ops.ones((1, 5, 5, 3))                     # channels last
    >>> ops.conv(images, ops.ones((3, 3, 3, 8)), strides=2, padding="same").shape
    torch.Size([1, 3, 3, 8])
    >>> ops.max_pool(images, pool_size=2).shape
    torch.Size([1, 2, 2, 3])
"""

import torch.nn.functional as F

from minilib.ops.core import _int_tuple, convert_to_tensor

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv", "max_pool",
           "average_pool"]

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVERAGE_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1,
         bias=None):
    """N-D convolution (cross-correlation, as in every deep-learning library).

    Args:
        inputs: `(batch, *spatial, channels)`, or `(batch, channels, *spatial)`
            with `data_format="channels_first"`; 1 to 3 spatial axes.
        kernel: `(*window, in_channels // groups, out_channels)`. When it has
            fewer input channels than `inputs`, the channels are split into
            `groups = in_channels // kernel.shape[-2]` independent groups.
        strides, dilation_rate: an int or one int per spatial axis.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(size / stride)`).
        bias: optional, `(out_channels,)`, added to every position.

    >>> ops.conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 8))).shape     # channels last
    torch.Size([1, 3, 3, 8])
    >>> ops.conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 8)), padding="same").shape
    torch.Size([1, 5, 5, 8])
    """
    x, rank, channels_last = _channels_first(inputs, data_format, "conv")
    kernel = convert_to_tensor(kernel)
    in_channels, group_channels = x.shape[1], kernel.shape[-2]
    if kernel.ndim != rank + 2 or in_channels % group_channels:
        raise ValueError(f"conv: a kernel of shape {tuple(kernel.shape)} does not fit inputs "
                         f"of shape {_original_shape(x, channels_last)}; expected {rank} window "
                         f"axes, then a number of input channels that divides {in_channels}.")
    strides, dilation = _tuple(strides, rank), _tuple(dilation_rate, rank)
    x, torch_padding = _pad(x, padding, kernel.shape[:rank], strides, dilation, "conv")
    outputs = _CONV[rank](x, _torch_kernel(kernel), _optional(bias), strides, torch_padding,
                          dilation, in_channels // group_channels)
    return _restore(outputs, channels_last)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1, bias=None):
    """Convolve each input channel on its own with `depth_multiplier` filters.

    The kernel is `(*window, in_channels, depth_multiplier)`; output channel
    `c * depth_multiplier + m` is channel `c` convolved with filter `m`. It is a
    grouped `conv` with one group per input channel.

    >>> ops.depthwise_conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3, 2))).shape
    torch.Size([1, 3, 3, 6])
    """
    kernel = convert_to_tensor(kernel)
    *window, in_channels, multiplier = kernel.shape
    grouped = kernel.reshape(*window, 1, in_channels * multiplier)
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate, bias)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1, bias=None):
    """A `depthwise_conv`, then a 1x1 `conv` (the pointwise kernel) that mixes the channels.

    >>> depthwise, pointwise = np.ones((3, 3, 3, 2)), np.ones((1, 1, 6, 8))
    >>> ops.separable_conv(np.ones((1, 5, 5, 3)), depthwise, pointwise).shape
    torch.Size([1, 3, 3, 8])
    """
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format,
                               dilation_rate)
    return conv(depthwise, pointwise_kernel, data_format=data_format, bias=bias)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1, bias=None):
    """Transposed convolution: the gradient of `conv`, used to upsample.

    The kernel is `(*window, out_channels, in_channels)`. Along each axis the
    output size is `size * stride` with `"same"`, and
    `(size - 1) * stride + max(window, stride)` with `"valid"`;
    `output_padding` instead fixes it to
    `(size - 1) * stride + output_padding + (window % 2 if "same" else window)`.

    Torch's transposed convolution crops the same amount on both sides, which
    cannot express Keras's uneven "same" crop; so torch computes the full
    output and the crop (or zero extension) is applied here, side by side.

    >>> ops.conv_transpose(np.ones((1, 4, 4, 8)), np.ones((2, 2, 3, 8)), strides=2).shape
    torch.Size([1, 8, 8, 3])
    """
    x, rank, channels_last = _channels_first(inputs, data_format, "conv_transpose")
    kernel = convert_to_tensor(kernel)
    if kernel.ndim != rank + 2 or kernel.shape[-1] != x.shape[1]:
        raise ValueError(f"conv_transpose: a kernel of shape {tuple(kernel.shape)} does not "
                         f"fit inputs of shape {_original_shape(x, channels_last)}; expected "
                         f"{rank} window axes, then out_channels, then in_channels = "
                         f"{x.shape[1]}.")
    strides, dilation, bias = _tuple(strides, rank), _tuple(dilation_rate, rank), _optional(bias)
    extras = [None] * rank if output_padding is None else _tuple(output_padding, rank)
    crops = [_transpose_crop(k, s, d, padding, extra)
             for k, s, d, extra in zip(kernel.shape[:rank], strides, dilation, extras,
                                       strict=True)]
    symmetric = all(before == after >= 0 for before, after in crops)
    if symmetric:
        outputs = _CONV_TRANSPOSE[rank](x, _torch_kernel(kernel), bias, strides,
                                        [before for before, _ in crops], 0, 1, dilation)
    else:  # F.pad with negative amounts crops; the bias must also reach the added zeros
        outputs = _CONV_TRANSPOSE[rank](x, _torch_kernel(kernel), None, strides, 0, 0, 1,
                                        dilation)
        outputs = F.pad(outputs, [-amount for crop in reversed(crops) for amount in crop])
        if bias is not None:
            outputs = outputs + bias.reshape(-1, *(1,) * rank)
    return _restore(outputs, channels_last)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The largest value in each `pool_size` window, moving by `strides` (default `pool_size`).

    With `"same"` padding the padded positions never win (they count as -inf).

    >>> ops.max_pool(np.arange(16.0).reshape(1, 4, 4, 1), 2)[0, :, :, 0]
    tensor([[ 5.,  7.],
            [13., 15.]])
    """
    x, rank, channels_last = _channels_first(inputs, data_format, "max_pool")
    pool_size = _tuple(pool_size, rank)
    strides = pool_size if strides is None else _tuple(strides, rank)
    x, torch_padding = _pad(x, padding, pool_size, strides, (1,) * rank, "max_pool")
    return _restore(_MAX_POOL[rank](x, pool_size, strides, torch_padding), channels_last)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The mean of each `pool_size` window, moving by `strides` (default `pool_size`).

    With `"same"` padding a window at the border averages only its real values:
    the padded zeros are not counted (Keras's, and TensorFlow's, rule).

    >>> ops.average_pool(np.arange(16.0).reshape(1, 4, 4, 1), 2)[0, :, :, 0]
    tensor([[ 2.5000,  4.5000],
            [10.5000, 12.5000]])
    """
    x, rank, channels_last = _channels_first(inputs, data_format, "average_pool")
    pool_size = _tuple(pool_size, rank)
    strides = pool_size if strides is None else _tuple(strides, rank)
    padded, torch_padding = _pad(x, padding, pool_size, strides, (1,) * rank, "average_pool")
    pool = _AVERAGE_POOL[rank]
    if padded is x:  # no padding, or even padding that torch leaves uncounted itself
        outputs = pool(x, pool_size, strides, torch_padding, count_include_pad=False)
    else:  # uneven padding: mean of the padded input / share of real values in the window
        real = _pad(x.new_ones((1, 1, *x.shape[2:])), padding, pool_size, strides,
                    (1,) * rank, "average_pool")[0]
        outputs = pool(padded, pool_size, strides) / pool(real, pool_size, strides)
    return _restore(outputs, channels_last)


# Helpers -----------------------------------------------------------------------


def _same_padding(size, window, stride, dilation=1):
    """`(before, after)` zeros that make a window give `ceil(size / stride)` outputs."""
    span = (window - 1) * dilation + 1
    total = max(0, (-(-size // stride) - 1) * stride + span - size)
    return total // 2, total - total // 2


def _transpose_crop(window, stride, dilation, padding, output_padding):
    """`(before, after)` to cut from torch's full transposed output (negative: add zeros)."""
    span = (window - 1) * dilation + 1
    padding = str(padding).lower()
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return 0, -extra
    if padding != "same":
        raise ValueError(f"conv_transpose: padding must be 'valid' or 'same', got {padding!r}.")
    total = stride + span - 2 if output_padding is None else \
        span + span % 2 - 2 + output_padding
    before = min(total - total // 2, span - 1)
    return span - 1 - before, span - 1 - (total - before)


def _pad(x, padding, window, strides, dilation, op_name):
    """Apply `padding` to channels-first `x`: `(x, torch_padding)` for the torch call.

    Even padding is left to torch (faster); uneven padding is done here with
    zeros, or -inf for max pooling.
    """
    padding = str(padding).lower()
    if padding == "valid":
        return x, 0
    if padding != "same":
        raise ValueError(f"{op_name}: padding must be 'valid' or 'same', got {padding!r}.")
    pads = [_same_padding(size, k, s, d)
            for size, k, s, d in zip(x.shape[2:], window, strides, dilation, strict=True)]
    if all(before == after for before, after in pads):
        return x, [before for before, _ in pads]
    fill = float("-inf") if op_name == "max_pool" else 0.0
    return F.pad(x, [amount for pad in reversed(pads) for amount in pad], value=fill), 0


def _channels_first(inputs, data_format, op_name):
    """`(x with channels on axis 1, number of spatial axes, whether to move them back)`."""
    x = convert_to_tensor(inputs)
    rank = x.ndim - 2
    if rank not in _CONV:
        raise ValueError(f"{op_name}: expected inputs with 3 to 5 axes (batch, 1 to 3 spatial "
                         f"axes, channels), got shape {tuple(x.shape)}.")
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError(f"{op_name}: data_format must be 'channels_last' or "
                         f"'channels_first', got {data_format!r}.")
    channels_last = data_format != "channels_first"
    # Positive axes: torch's TorchScript ONNX exporter writes -1 as is, which ONNX Runtime rejects.
    return (x.movedim(x.ndim - 1, 1) if channels_last else x), rank, channels_last


def _restore(outputs, channels_last):
    return outputs.movedim(1, outputs.ndim - 1) if channels_last else outputs


def _original_shape(x, channels_last):
    return tuple(_restore(x, channels_last).shape)


def _optional(bias):
    return None if bias is None else convert_to_tensor(bias)


def _torch_kernel(kernel):
    """Keras's `(*window, a, b)` kernel as torch's `(b, a, *window)` (a view, no copy)."""
    rank = kernel.ndim - 2
    return kernel.permute(rank + 1, rank, *range(rank))


def _tuple(value, rank):
    values = _int_tuple(value)
    return values * rank if len(values) == 1 else values
