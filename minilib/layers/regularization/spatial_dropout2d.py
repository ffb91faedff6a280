"""SpatialDropout2D: Dropout that drops whole feature maps of an image."""

from minilib import random
from minilib.layers.input_spec import InputSpec
from minilib.layers.preprocessing.image_utils import standardize_data_format
from minilib.layers.regularization.dropout import Dropout


class SpatialDropout2D(Dropout):
    """Drop entire channels of an image batch while training.

    Neighbouring pixels of a feature map are strongly correlated, so dropping
    single pixels barely regularizes a convolutional network. SpatialDropout2D
    zeroes entire channels (one keep/drop draw per `(sample, channel)`, noise
    shape `(batch, 1, 1, channels)` for channels_last) and scales the kept ones by
    `1 / (1 - rate)`; `torch.nn.Dropout2d` does the same for channels_first. It
    only acts while training.

    Args:
        rate: the fraction of channels to drop, between 0 and 1.
        data_format: "channels_last" (default) or "channels_first".
        seed: an int for repeatable masks.

    Input shape:
        4D: `(batch, rows, cols, channels)` (channels on axis 1 with "channels_first").

    Output shape:
        The same as the input.

    Example:

    >>> drop = minilib.layers.SpatialDropout2D(0.5)
    >>> y = drop(np.ones((2, 5, 5, 8)), training=True)   # each y[i, :, :, c] all 0 or all 2
    >>> bool((y.amin(dim=(1, 2)) == y.amax(dim=(1, 2))).all())
    True
    """

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = standardize_data_format(data_format, self.name)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        batch = inputs.shape[0]
        noise_shape = ((batch, 1, 1, inputs.shape[3]) if self.data_format == "channels_last"
                       else (batch, inputs.shape[1], 1, 1))
        return random.dropout(inputs, self.rate, noise_shape=noise_shape, seed=self.seed_generator)

    def get_config(self):
        config = {**super().get_config(), "data_format": self.data_format}
        # Keras's SpatialDropout layers take neither argument, so their configs omit both.
        del config["noise_shape"], config["trainable"]
        return config
