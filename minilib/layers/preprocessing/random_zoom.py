"""RandomZoom: zoom images in or out by random amounts, to augment training data."""

from minilib.layers.preprocessing.random_affine import RandomAffineLayer, matrices_from


class RandomZoom(RandomAffineLayer):
    """Zoom each image by a random factor while training.

    Each image gets zoom factors `zy = 1 + a` and `zx = 1 + b`, with `a` drawn
    from `height_factor` and `b` from `width_factor` (or `b = a`, keeping the
    aspect ratio, when `width_factor` is None). Output pixel `(u, v)` (from the
    centre) reads the input at `(zx * u, zy * v)`: a positive factor shows more
    of the image, smaller (zooming out); a negative one enlarges the centre
    (zooming in), as in Keras. Uncovered areas are filled according to
    `fill_mode`. Active only while training, like every augmentation layer.

    Args:
        height_factor: `f` for `[-f, f]`, or a pair `(lower, upper)`, within [-1, 1].
        width_factor: the same for the width; None zooms both sides together.
        fill_mode: "reflect" (default), "wrap" (approximate), "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int; layers built with the same seed zoom the same way.
        fill_value: the value used outside the image with "constant".
        data_format: "channels_last" (default) or "channels_first".

    Input shape:
        `(batch, rows, cols, channels)` or one image `(rows, cols, channels)`
        (channels first with "channels_first").

    Output shape:
        The same as the input.

    Example:

    >>> zoom_in = minilib.layers.RandomZoom((-0.5, -0.5), interpolation="nearest")
    >>> image = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> zoom_in(image)[0, :, :, 0]                 # the central 2 x 2 pixels, twice as large
    tensor([[ 5.,  5.,  6.,  6.],
            [ 5.,  5.,  6.,  6.],
            [ 9.,  9., 10., 10.],
            [ 9.,  9., 10., 10.]])
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._height_bounds = self._range(height_factor, "height_factor", limit=1)
        self._width_bounds = (None if width_factor is None
                              else self._range(width_factor, "width_factor", limit=1))

    def _random_matrices(self, batch, height, width):
        zoom_y = 1 + self._uniform(batch, self._height_bounds)
        zoom_x = zoom_y if self._width_bounds is None else 1 + self._uniform(batch,
                                                                             self._width_bounds)
        zero = zoom_y * 0
        return matrices_from(zoom_x, zero, zero, zero, zoom_y, zero)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}
