"""Dropout: the regularization layer that zeroes random inputs while training."""

from minilib import random
from minilib.layers.layer import Layer


class Dropout(Layer):
    """Randomly set inputs to 0 with frequency `rate` while training.

    The kept values are scaled by `1 / (1 - rate)`, so the expected sum stays the
    same and nothing needs rescaling at inference time, when Dropout does nothing.
    `model.fit` calls the model with `training=True`; `predict` and `evaluate` do not.

    Args:
        rate: the fraction of inputs to drop, between 0 and 1.
        noise_shape: the shape of the keep/drop mask, to drop whole rows or channels.
        seed: an int for repeatable masks.

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> drop = minilib.layers.Dropout(0.5)
    >>> x = np.ones((2, 5))
    >>> drop(x, training=True)     # about half the entries are 0, the rest doubled
    tensor([[0., 2., 0., 0., 0.],
            [2., 0., 2., 0., 2.]])
    >>> drop(x)                    # unchanged: training defaults to False
    tensor([[1., 1., 1., 1., 1.],
            [1., 1., 1., 1., 1.]])
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"Dropout '{self.name}': rate must be between 0 and 1, got {rate}.")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if seed is not None else None
        self.supports_masking = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate, noise_shape=self.noise_shape,
                                  seed=self.seed_generator)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}
