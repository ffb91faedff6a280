"""RandomFlip: flip images left-right and/or upside down at random, to augment training data."""

import torch

from minilib import random
from minilib.layers.layer import Layer
from minilib.layers.preprocessing.image_utils import from_nchw, standardize_data_format, to_nchw

MODES = ("horizontal", "vertical", "horizontal_and_vertical")


class RandomFlip(Layer):
    """Randomly flip images horizontally and/or vertically while training.

    Each image of the batch gets its own coin tosses: with `mode="horizontal"` it
    is mirrored left-right with probability 1/2, with "vertical" upside down, and
    with "horizontal_and_vertical" (the default) both tosses are made
    independently. Like every augmentation layer it acts only while training:
    `fit` (and calling the layer directly, whose `training` defaults to True, as
    in Keras) flips, while `predict` and `evaluate` pass images through.

    Args:
        mode: "horizontal", "vertical" or "horizontal_and_vertical".
        seed: an int; layers built with the same seed flip the same images.
        data_format: "channels_last" (default) or "channels_first".

    Input shape:
        `(batch, rows, cols, channels)` or one image `(rows, cols, channels)`
        (channels first with "channels_first").

    Output shape:
        The same as the input.

    Example:

    >>> flip = minilib.layers.RandomFlip("horizontal", seed=1)
    >>> images = np.tile(np.arange(3.0).reshape(1, 1, 3, 1), (4, 1, 1, 1))  # 4 images 0 1 2
    >>> flip(images)[:, 0, :, 0]                   # each image mirrored, or not, at random
    tensor([[0., 1., 2.],
            [2., 1., 0.],
            [0., 1., 2.],
            [0., 1., 2.]])
    >>> flip(images, training=False)[:, 0, 0, 0]   # inference: unchanged
    tensor([0., 0., 0., 0.])
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if mode not in MODES:
            raise ValueError(f"RandomFlip '{self.name}': mode must be one of {MODES}, "
                             f"got {mode!r}.")
        self.mode = mode
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.data_format = standardize_data_format(data_format, self.name)

    def call(self, inputs, training=True):
        inputs = inputs if inputs.is_floating_point() else inputs.to(self._torch_dtype)
        if not training:
            return inputs
        images, single = to_nchw(inputs, self.data_format, self.name)
        for axis, flips in ((3, "horizontal"), (2, "vertical")):
            if flips in self.mode:
                chosen = random.uniform((images.shape[0],), seed=self.seed_generator) < 0.5
                chosen = chosen.to(images.device).reshape(-1, 1, 1, 1)
                images = torch.where(chosen, images.flip(axis), images)
        return from_nchw(images, self.data_format, single)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "seed": self.seed,
                "data_format": self.data_format}
