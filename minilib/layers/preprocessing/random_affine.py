"""The shared part of RandomRotation, RandomTranslation and RandomZoom.

Each of them draws one random 2x3 matrix per image (`_random_matrices`) and
warps the image with it through `image_utils.affine_transform`, which runs
torch's `affine_grid` and `grid_sample`. This base class handles the rest:
the training switch, seeding, the fill and interpolation options, and both
channel layouts. It is not a public layer.
"""

import torch

from minilib import random
from minilib.layers.layer import Layer
from minilib.layers.preprocessing.image_utils import (
    FILL_MODES,
    INTERPOLATIONS,
    affine_transform,
    from_nchw,
    standardize_data_format,
    to_nchw,
)


class RandomAffineLayer(Layer):
    """Warp each image with its own random affine map while training."""

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(**kwargs)
        if fill_mode not in FILL_MODES:
            raise ValueError(f"{type(self).__name__} '{self.name}': fill_mode must be one of "
                             f"{FILL_MODES}, got {fill_mode!r}.")
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"{type(self).__name__} '{self.name}': interpolation must be one "
                             f"of {INTERPOLATIONS}, got {interpolation!r}.")
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.fill_value = fill_value
        self.data_format = standardize_data_format(data_format, self.name)

    def _range(self, factor, what, limit=None):
        """A factor `f` means `(-f, f)`; a pair is `(lower, upper)`."""
        lower, upper = (-factor, factor) if isinstance(factor, int | float) else tuple(factor)
        if lower > upper or (limit is not None and max(abs(lower), abs(upper)) > limit):
            bound = f" within [-{limit}, {limit}]" if limit is not None else ""
            raise ValueError(f"{type(self).__name__} '{self.name}': {what} must be a number or "
                             f"a pair (lower, upper) with lower <= upper{bound}, got {factor!r}.")
        return float(lower), float(upper)

    def _uniform(self, batch, bounds):
        """One draw per image from `[lower, upper)`."""
        return random.uniform((batch,), bounds[0], bounds[1], seed=self.seed_generator)

    def _random_matrices(self, batch, height, width):
        """`(batch, 2, 3)` maps from output to input pixels, about the image centre."""
        raise NotImplementedError

    def call(self, inputs, training=True):
        inputs = inputs if inputs.is_floating_point() else inputs.to(self._torch_dtype)
        if not training:
            return inputs
        images, single = to_nchw(inputs, self.data_format, self.name)
        matrices = self._random_matrices(*images.shape[:1], *images.shape[2:])
        images = affine_transform(images, matrices.to(images.device), self.interpolation,
                                  self.fill_mode, self.fill_value)
        return from_nchw(images, self.data_format, single)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value, "data_format": self.data_format}


def matrices_from(a, b, c, d, e, f):
    """Stack per-image entries into `(batch, 2, 3)` matrices `[[a, b, c], [d, e, f]]`."""
    return torch.stack([torch.stack([a, b, c], -1), torch.stack([d, e, f], -1)], -2)
