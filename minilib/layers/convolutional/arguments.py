"""Checking the window arguments that convolution and pooling layers share.

Keras accepts `kernel_size=3` as well as `kernel_size=(3, 3)`, and a padding
name in any case; these helpers turn such arguments into one standard form and
raise an error naming the layer when an argument cannot be used.
"""

import numpy as np


def standardize_tuple(layer, value, rank, argument, allow_zero=False):
    """`value` (an int, or `rank` ints) as a tuple of `rank` positive (or zero) ints."""
    values = (value,) * rank if np.ndim(value) == 0 else tuple(value)
    smallest = 0 if allow_zero else 1
    if len(values) != rank or not all(
            isinstance(v, int | np.integer) and v >= smallest for v in values):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{_describe(layer)}: {argument} must be a {kind} int or a tuple of "
                         f"{rank} {kind} ints, got {value!r}.")
    return tuple(int(v) for v in values)


def standardize_padding(layer, padding, allowed=("valid", "same")):
    """The padding name in lower case, checked against `allowed`."""
    name = padding.lower() if isinstance(padding, str) else padding
    if name not in allowed:
        raise ValueError(f"{_describe(layer)}: padding must be one of {', '.join(allowed)}, "
                         f"got {padding!r}.")
    return name


def standardize_data_format(layer, data_format):
    """"channels_last" (the default, also for None) or "channels_first"."""
    name = "channels_last" if data_format is None else str(data_format).lower()
    if name not in ("channels_last", "channels_first"):
        raise ValueError(f"{_describe(layer)}: data_format must be 'channels_last' or "
                         f"'channels_first', got {data_format!r}.")
    return name


def output_length(size, window, stride, padding, dilation=1):
    """Positions a sliding window gives along an axis of `size` (None stays None)."""
    if size is None:
        return None
    if padding == "valid":
        return (size - (window - 1) * dilation - 1) // stride + 1
    return -(-size // stride)  # "same" and "causal": ceil(size / stride)


def spatial_axes(shape, data_format):
    """The spatial sizes of `shape`, around its channel axis."""
    return tuple(shape[1:-1]) if data_format == "channels_last" else tuple(shape[2:])


def with_channels(batch, spatial, channels, data_format):
    """A full shape from its parts, channels last or first."""
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def _describe(layer):
    return f"{type(layer).__name__} '{layer.name}'"
