"""CenterCrop: cut the central window out of every image."""

from minilib.layers.layer import Layer
from minilib.layers.preprocessing.image_utils import (
    from_nchw,
    resize,
    standardize_data_format,
    to_nchw,
)
from minilib.layers.preprocessing.resizing import image_output_shape


class CenterCrop(Layer):
    """Crop the centre of each image to `(height, width)`.

    The window starts at `((rows - height) // 2, (cols - width) // 2)`. An image
    smaller than the target along either side is instead resized to it (after
    cropping to the target's aspect ratio), as Keras does, so the output size is
    always `(height, width)`.

    Args:
        height, width: the output size.
        data_format: "channels_last" (default) or "channels_first".

    Input shape:
        `(batch, rows, cols, channels)` or one image `(rows, cols, channels)`.

    Output shape:
        `(batch, height, width, channels)` (or one image).

    Example:

    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)        # values 0..15, row by row
    >>> minilib.layers.CenterCrop(2, 2)(image)[0, :, :, 0]
    tensor([[ 5.,  6.],
            [ 9., 10.]])
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = height, width
        self.data_format = standardize_data_format(data_format, self.name)

    def call(self, inputs):
        images, single = to_nchw(inputs, self.data_format, self.name)
        rows, cols = images.shape[2:]
        if rows >= self.height and cols >= self.width:
            top, left = (rows - self.height) // 2, (cols - self.width) // 2
            images = images[:, :, top:top + self.height, left:left + self.width]
        else:
            images = resize(images, (self.height, self.width), crop_to_aspect_ratio=True)
        return from_nchw(images, self.data_format, single)

    def compute_output_shape(self, input_shape):
        return image_output_shape(input_shape, self.height, self.width, self.data_format)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "data_format": self.data_format}
