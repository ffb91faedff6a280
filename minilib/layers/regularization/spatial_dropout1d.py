"""SpatialDropout1D: Dropout that drops whole feature channels of a sequence."""

from minilib import random
from minilib.layers.input_spec import InputSpec
from minilib.layers.regularization.dropout import Dropout


class SpatialDropout1D(Dropout):
    """Drop entire channels of a `(batch, steps, channels)` input while training.

    Neighbouring time steps are strongly correlated, so dropping single entries
    barely regularizes: the next step still carries the value. SpatialDropout1D
    zeroes a channel at *every* step of a sample at once (one keep/drop draw per
    `(sample, channel)`, noise shape `(batch, 1, channels)`) and scales the kept
    values by `1 / (1 - rate)`. Like Dropout, it only acts while training.

    Args:
        rate: the fraction of channels to drop, between 0 and 1.
        seed: an int for repeatable masks.

    Input shape:
        `(batch, steps, channels)`.

    Output shape:
        The same as the input.

    Example:

    >>> drop = minilib.layers.SpatialDropout1D(0.5)
    >>> y = drop(np.ones((2, 10, 8)), training=True)   # each y[i, :, c] all 0 or all 2
    >>> bool((y.amin(dim=1) == y.amax(dim=1)).all())  # the same at every step
    True
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate, noise_shape=(inputs.shape[0], 1,
                                  inputs.shape[2]), seed=self.seed_generator)
        return inputs

    def get_config(self):
        config = super().get_config()
        # Keras's SpatialDropout layers take neither argument, so their configs omit both.
        del config["noise_shape"], config["trainable"]
        return config
