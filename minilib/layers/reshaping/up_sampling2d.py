"""UpSampling2D: enlarge each image by whole factors along its rows and columns."""

from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer
from minilib.layers.preprocessing.image_utils import (
    from_nchw,
    resize,
    standardize_data_format,
    to_nchw,
)

INTERPOLATIONS = ("nearest", "bilinear", "bicubic")


class UpSampling2D(Layer):
    """Repeat (or interpolate) rows and columns to make images larger.

    With `interpolation="nearest"` every pixel is repeated `size[0]` times down
    and `size[1]` times across (`np.repeat` on both axes). "bilinear" (and
    "bicubic") blend neighbouring pixels instead, with pixel centres aligned as in
    TensorFlow and `torch.nn.functional.interpolate(..., align_corners=False)`.

    Args:
        size: an int or a pair `(rows, cols)` of upsampling factors (default `(2, 2)`).
        data_format: "channels_last" (default) or "channels_first".
        interpolation: "nearest" (default), "bilinear" or "bicubic".

    Input shape:
        4D: `(batch, rows, cols, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        `(batch, rows * size[0], cols * size[1], channels)`.

    Example:

    >>> minilib.layers.UpSampling2D(2)(np.ones((1, 3, 4, 1))).shape
    torch.Size([1, 6, 8, 1])
    >>> minilib.layers.UpSampling2D(2)(np.array([[[[1.0], [2.0]]]]))[0, :, :, 0]
    tensor([[1., 1., 2., 2.],
            [1., 1., 2., 2.]])
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        size = (size, size) if isinstance(size, int) else tuple(size)
        if len(size) != 2 or any(not isinstance(s, int) or s < 1 for s in size):
            raise ValueError(f"UpSampling2D '{self.name}': size must be a positive int or a "
                             f"pair of them, got {size!r}.")
        if interpolation.lower() not in INTERPOLATIONS:
            raise ValueError(f"UpSampling2D '{self.name}': interpolation must be one of "
                             f"{INTERPOLATIONS}, got {interpolation!r}.")
        self.size = size
        self.data_format = standardize_data_format(data_format, self.name)
        self.interpolation = interpolation.lower()
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        rows, cols = (1, 2) if self.data_format == "channels_last" else (2, 3)
        if self.interpolation == "nearest":
            return inputs.repeat_interleave(self.size[0], rows) \
                .repeat_interleave(self.size[1], cols)
        images, single = to_nchw(inputs, self.data_format, self.name)
        target = (images.shape[2] * self.size[0], images.shape[3] * self.size[1])
        return from_nchw(resize(images, target, self.interpolation), self.data_format, single)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = 1 if self.data_format == "channels_last" else 2
        for index, factor in enumerate(self.size):
            if shape[first + index] is not None:
                shape[first + index] *= factor
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}
