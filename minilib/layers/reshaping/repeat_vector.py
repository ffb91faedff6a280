"""RepeatVector: repeat each input vector along a new time axis."""

from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer


class RepeatVector(Layer):
    """Repeat the input `n` times.

    A batch of vectors `(batch, features)` becomes a batch of sequences
    `(batch, n, features)` in which every step is the same vector; this is how an
    encoder's summary vector is fed to every step of a decoder RNN.

    Args:
        n: the number of repetitions.

    Input shape:
        `(batch, features)`.

    Output shape:
        `(batch, n, features)`.

    Example:

    >>> minilib.layers.RepeatVector(3)(np.ones((2, 5))).shape
    torch.Size([2, 3, 5])
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"RepeatVector '{self.name}': n must be a positive int, got {n!r}.")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return inputs.unsqueeze(1).repeat(1, self.n, 1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
