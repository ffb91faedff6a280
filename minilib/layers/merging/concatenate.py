"""Concatenate: join tensors along one axis."""

from minilib import ops
from minilib.layers.merging.merge import Merge


class Concatenate(Merge):
    """Join a list of tensors along `axis` (the last by default).

    Shapes `(None, 3)` and `(None, 5)` concatenate to `(None, 8)`. All other axes
    must match.

    Args:
        axis: the axis to join along (default -1).

    Input shape:
        A list of tensors of the same rank, equal on every axis but `axis`.

    Output shape:
        The same, with the sizes along `axis` added up.

    Example:

    >>> join = minilib.layers.Concatenate()
    >>> join([np.ones((2, 3)), np.zeros((2, 5))]).shape
    torch.Size([2, 8])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _merge(self, inputs):
        return ops.concatenate(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes):
            raise ValueError(f"Concatenate layer '{self.name}' needs inputs of the same rank, "
                             f"got shapes {shapes}.")
        axis = self.axis % rank
        for position in range(rank):
            if position == axis:
                continue
            sizes = {s[position] for s in shapes} - {None}
            if len(sizes) > 1:
                raise ValueError(f"Concatenate layer '{self.name}' (axis={self.axis}) needs "
                                 f"matching sizes on every other axis, got shapes {shapes}.")
        joined = [s[axis] for s in shapes]
        output = list(shapes[0])
        for position in range(rank):
            if position != axis:
                output[position] = next((s[position] for s in shapes if s[position]), None)
        output[axis] = None if None in joined else sum(joined)
        return tuple(output)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """`Concatenate(axis)(inputs)` in one call.

    Example:

    >>> minilib.layers.concatenate([minilib.Input(shape=(3,)), minilib.Input(shape=(5,))]).shape
    (None, 8)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
