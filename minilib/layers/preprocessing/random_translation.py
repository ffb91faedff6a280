"""RandomTranslation: shift images by random offsets, to augment training data."""

from minilib.layers.preprocessing.random_affine import RandomAffineLayer, matrices_from


class RandomTranslation(RandomAffineLayer):
    """Shift each image by a random offset while training.

    Each image is moved down by `dy = a * rows` and right by `dx = b * cols`,
    with `a` drawn from `height_factor` and `b` from `width_factor` (negative
    values move it up or left). Output pixel `(u, v)` reads the input at
    `(u - dx, v - dy)`; the uncovered border is filled according to `fill_mode`.
    Active only while training, like every augmentation layer.

    Args:
        height_factor: `f` for `[-f, f]`, or a pair `(lower, upper)`, as fractions
            of the height, within [-1, 1].
        width_factor: the same for the width.
        fill_mode: "reflect" (default), "wrap" (approximate), "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int; layers built with the same seed shift the same way.
        fill_value: the value used outside the image with "constant".
        data_format: "channels_last" (default) or "channels_first".

    Input shape:
        `(batch, rows, cols, channels)` or one image `(rows, cols, channels)`
        (channels first with "channels_first").

    Output shape:
        The same as the input.

    Example:

    >>> shift = minilib.layers.RandomTranslation(
    ...     (0.2, 0.2), (0.4, 0.4), fill_mode="constant", interpolation="nearest")
    >>> image = np.zeros((1, 5, 5, 1))
    >>> image[0, 2, 2, 0] = 1.0                           # one bright pixel in the centre
    >>> shift(image)[0, :, :, 0]                          # 1 row down, 2 columns right
    tensor([[0., 0., 0., 0., 0.],
            [0., 0., 0., 0., 0.],
            [0., 0., 0., 0., 0.],
            [0., 0., 0., 0., 1.],
            [0., 0., 0., 0., 0.]])
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._height_bounds = self._range(height_factor, "height_factor", limit=1)
        self._width_bounds = self._range(width_factor, "width_factor", limit=1)

    def _random_matrices(self, batch, height, width):
        dy = self._uniform(batch, self._height_bounds) * height
        dx = self._uniform(batch, self._width_bounds) * width
        one, zero = dx * 0 + 1, dx * 0
        return matrices_from(one, zero, -dx, zero, one, -dy)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}
