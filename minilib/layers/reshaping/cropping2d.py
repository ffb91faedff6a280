"""Cropping2D: remove rows and columns from the edges of each image."""

from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer
from minilib.layers.preprocessing.image_utils import standardize_data_format
from minilib.layers.reshaping.zero_padding2d import two_pairs


class Cropping2D(Layer):
    """Crop images along their height and width.

    `cropping` may be an int `c`, a pair `(ch, cw)` (symmetric) or two pairs
    `((top, bottom), (left, right))`, exactly like ZeroPadding2D's `padding`.

    Args:
        cropping: as above (default `((0, 0), (0, 0))`).
        data_format: "channels_last" (default) or "channels_first".

    Input shape:
        4D: `(batch, rows, cols, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        `(batch, rows - top - bottom, cols - left - right, channels)`.

    Example:

    >>> minilib.layers.Cropping2D(((1, 0), (2, 2)))(np.ones((1, 5, 6, 3))).shape
    torch.Size([1, 4, 2, 3])
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = two_pairs(cropping, "cropping", self.name)
        self.data_format = standardize_data_format(data_format, self.name)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        (top, bottom), (left, right) = self.cropping
        rows, cols = (1, 2) if self.data_format == "channels_last" else (2, 3)
        self._check_sizes((inputs.shape[rows], inputs.shape[cols]), tuple(inputs.shape))
        return inputs.narrow(rows, top, inputs.shape[rows] - top - bottom) \
            .narrow(cols, left, inputs.shape[cols] - left - right)

    def _check_sizes(self, sizes, input_shape):
        for size, (before, after) in zip(sizes, self.cropping, strict=True):
            if size is not None and before + after >= size:
                raise ValueError(f"Cropping2D '{self.name}': cropping {self.cropping} leaves "
                                 f"nothing of an input of shape {input_shape}.")

    def compute_output_shape(self, input_shape):
        first = 1 if self.data_format == "channels_last" else 2
        self._check_sizes(input_shape[first:first + 2], tuple(input_shape))
        shape = list(input_shape)
        for index, (before, after) in enumerate(self.cropping):
            if shape[first + index] is not None:
                shape[first + index] -= before + after
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}
