"""GaussianDropout: multiply the inputs by normal noise centred on 1 while training."""

import math

from minilib import random
from minilib.layers.layer import Layer


class GaussianDropout(Layer):
    """Multiply by `Normal(1, rate / (1 - rate))` noise while training.

        y = x * noise,   noise ~ Normal(1, rate / (1 - rate))   (training only)

    The noise has the same mean and variance as Dropout's `keep / (1 - rate)`
    factor, but is continuous: every entry is perturbed, none is zeroed.

    Args:
        rate: the equivalent dropout rate, between 0 and 1.
        seed: an int for repeatable noise.

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> drop = minilib.layers.GaussianDropout(0.2)
    >>> y = drop(np.ones((2, 3)), training=True)   # values around 1, std 0.5
    >>> drop(np.ones((1, 3)))                      # unchanged outside training
    tensor([[1., 1., 1.]])
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(f"GaussianDropout '{self.name}': rate must be in [0, 1), "
                             f"got {rate}.")
        self.rate = rate
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if seed is not None else None
        self.supports_masking = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = random.normal(tuple(inputs.shape), mean=1.0, stddev=stddev,
                                  dtype=inputs.dtype, seed=self.seed_generator)
            return inputs * noise.to(inputs.device)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
