"""Permute: reorder the axes of each sample (the batch axis stays first)."""

from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer


class Permute(Layer):
    """Reorder the non-batch axes of the input.

    `dims` numbers the sample axes from 1, as Keras does: `Permute((2, 1))` swaps
    the two axes of a `(batch, time, features)` input, giving
    `(batch, features, time)`; it is `inputs.permute(0, *dims)`.

    Args:
        dims: a permutation of `1, ..., rank - 1`.

    Input shape:
        `(batch, d1, ..., dn)`.

    Output shape:
        `(batch, ...)` with the `d`s in the order of `dims`.

    Example:

    >>> minilib.layers.Permute((2, 1))(np.ones((4, 10, 64))).shape
    torch.Size([4, 64, 10])
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Permute '{self.name}': dims must be a permutation of "
                             f"1, ..., {len(self.dims)} (axis 0 is the batch), got {dims!r}.")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return inputs.permute(0, *self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
