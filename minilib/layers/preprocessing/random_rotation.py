"""RandomRotation: rotate images about their centre by random angles, to augment training data."""

import math

from minilib.layers.preprocessing.random_affine import RandomAffineLayer, matrices_from


class RandomRotation(RandomAffineLayer):
    """Rotate each image by a random angle while training.

    Each image gets its own angle `theta = 2 * pi * u`, with `u` drawn uniformly
    from `factor` (a fraction of a full turn): `factor=0.1` means up to 36 degrees
    either way. Positive angles turn the image counter-clockwise. Output pixel
    `(u, v)` (from the centre, column and row) reads the input at::

        (cos(theta) * u - sin(theta) * v,  sin(theta) * u + cos(theta) * v)

    Corners that come from outside the image are filled according to `fill_mode`
    (described in `minilib.layers.preprocessing.image_utils`; "wrap" is approximate
    at the seam). Active only while training, like every augmentation layer.

    Args:
        factor: `f` for `[-f, f]`, or a pair `(lower, upper)`, in fractions of 2 pi.
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int; layers built with the same seed rotate the same way.
        fill_value: the value used outside the image with "constant".
        data_format: "channels_last" (default) or "channels_first".

    Input shape:
        `(batch, rows, cols, channels)` or one image `(rows, cols, channels)`
        (channels first with "channels_first").

    Output shape:
        The same as the input.

    Example:

    >>> quarter_turn = minilib.layers.RandomRotation((0.25, 0.25), interpolation="nearest")
    >>> image = np.arange(9.0).reshape(1, 3, 3, 1)         # rows 0 1 2 / 3 4 5 / 6 7 8
    >>> quarter_turn(image)[0, :, :, 0]                    # a quarter turn counter-clockwise
    tensor([[2., 5., 8.],
            [1., 4., 7.],
            [0., 3., 6.]])
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = factor
        self._bounds = self._range(factor, "factor")

    def _random_matrices(self, batch, height, width):
        theta = self._uniform(batch, self._bounds) * (2 * math.pi)
        cos, sin, zero = theta.cos(), theta.sin(), theta * 0
        return matrices_from(cos, -sin, zero, sin, cos, zero)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
