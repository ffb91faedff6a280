"""ZeroPadding2D: add rows and columns of zeros around each image."""

import torch.nn.functional as F

from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer
from minilib.layers.preprocessing.image_utils import standardize_data_format


def two_pairs(value, what, layer_name):
    """An int, a pair of ints or a pair of pairs, as `((top, bottom), (left, right))`."""
    if isinstance(value, int):
        return ((value, value), (value, value))
    try:
        pairs = tuple((v, v) if isinstance(v, int) else tuple(v) for v in value)
        valid = len(pairs) == 2 and all(len(p) == 2 and min(p) >= 0 for p in pairs)
    except TypeError:
        valid = False
    if not valid:
        raise ValueError(f"Layer '{layer_name}': {what} must be an int, a pair of ints or a "
                         f"pair of pairs of non-negative ints, got {value!r}.")
    return pairs


class ZeroPadding2D(Layer):
    """Pad images with zeros on the top, bottom, left and right.

    `padding` may be an int `p` (p rows and columns on every side), a pair
    `(ph, pw)` (ph rows above and below, pw columns left and right) or two pairs
    `((top, bottom), (left, right))`.

    Args:
        padding: as above (default `(1, 1)`).
        data_format: "channels_last" (default, `(batch, rows, cols, channels)`) or
            "channels_first" (`(batch, channels, rows, cols)`).

    Input shape:
        4D: `(batch, rows, cols, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        `(batch, rows + top + bottom, cols + left + right, channels)`.

    Example:

    >>> minilib.layers.ZeroPadding2D(1)(np.ones((1, 2, 2, 1)))[0, :, :, 0]
    tensor([[0., 0., 0., 0.],
            [0., 1., 1., 0.],
            [0., 1., 1., 0.],
            [0., 0., 0., 0.]])
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = two_pairs(padding, "padding", self.name)
        self.data_format = standardize_data_format(data_format, self.name)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        (top, bottom), (left, right) = self.padding
        if self.data_format == "channels_last":
            return F.pad(inputs, (0, 0, left, right, top, bottom))
        return F.pad(inputs, (left, right, top, bottom))

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = 1 if self.data_format == "channels_last" else 2
        for index, (before, after) in enumerate(self.padding):
            if shape[first + index] is not None:
                shape[first + index] += before + after
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
