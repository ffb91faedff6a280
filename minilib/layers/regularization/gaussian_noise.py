"""GaussianNoise: add zero-centred normal noise to the inputs while training."""

from minilib import random
from minilib.layers.layer import Layer


class GaussianNoise(Layer):
    """Add normal noise with standard deviation `stddev` while training.

        y = x + noise,   noise ~ Normal(0, stddev**2)   (training only; y = x otherwise)

    A cheap form of data augmentation for real-valued inputs, and a regularizer:
    the model cannot rely on tiny differences between values.

    Args:
        stddev: the standard deviation of the noise.
        seed: an int for repeatable noise.

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> noisy = minilib.layers.GaussianNoise(0.1)
    >>> y = noisy(np.zeros((2, 3)), training=True)   # small random values
    >>> noisy(np.zeros((1, 3)))                      # unchanged outside training
    tensor([[0., 0., 0.]])
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if stddev < 0:
            raise ValueError(f"GaussianNoise '{self.name}': stddev must be >= 0, got {stddev}.")
        self.stddev = stddev
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if seed is not None else None
        self.supports_masking = True

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            noise = random.normal(tuple(inputs.shape), stddev=self.stddev,
                                  dtype=inputs.dtype, seed=self.seed_generator)
            return inputs + noise.to(inputs.device)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
