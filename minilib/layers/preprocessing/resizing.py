"""Resizing: resize every image of a batch to a fixed height and width."""

from minilib.layers.layer import Layer
from minilib.layers.preprocessing.image_utils import (
    from_nchw,
    resize,
    standardize_data_format,
    to_nchw,
)

INTERPOLATIONS = ("bilinear", "nearest", "bicubic")


class Resizing(Layer):
    """Resize images to a fixed height and width.

    "bilinear" (the default) and "bicubic" blend the nearest input pixels, with
    pixel centres aligned as in TensorFlow (`F.interpolate(align_corners=False)`);
    "nearest" copies the closest pixel (torch's "nearest-exact"). With
    `crop_to_aspect_ratio=True` the largest centred window with the target's
    aspect ratio is cut out first, so shapes are not distorted.

    Args:
        height, width: the output size.
        interpolation: "bilinear", "nearest" or "bicubic".
        crop_to_aspect_ratio: crop before resizing to keep the aspect ratio.
        data_format: "channels_last" (default) or "channels_first".

    Input shape:
        `(batch, rows, cols, channels)` or one image `(rows, cols, channels)`.

    Output shape:
        `(batch, height, width, channels)` (or one image).

    Example:

    >>> minilib.layers.Resizing(64, 64)(np.random.rand(2, 128, 96, 3)).shape
    torch.Size([2, 64, 64, 3])
    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> minilib.layers.Resizing(2, 2)(image)[0, :, :, 0]    # each pixel: a 2 x 2 block's mean
    tensor([[ 2.5000,  4.5000],
            [10.5000, 12.5000]])
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 data_format=None, **kwargs):
        super().__init__(**kwargs)
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"Resizing '{self.name}': interpolation must be one of "
                             f"{INTERPOLATIONS}, got {interpolation!r}.")
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.data_format = standardize_data_format(data_format, self.name)

    def call(self, inputs):
        images, single = to_nchw(inputs, self.data_format, self.name)
        images = resize(images, (self.height, self.width), self.interpolation,
                        self.crop_to_aspect_ratio)
        return from_nchw(images, self.data_format, single)

    def compute_output_shape(self, input_shape):
        return image_output_shape(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "data_format": self.data_format}


def image_output_shape(input_shape, height, width, data_format):
    """`input_shape` (3D or 4D) with its rows and columns replaced."""
    shape = list(input_shape)
    rows = len(shape) - (3 if data_format == "channels_last" else 2)
    shape[rows:rows + 2] = [height, width]
    return tuple(shape)
