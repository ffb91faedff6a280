"""Initializers that need no randomness: zeros, ones, a constant, the identity matrix."""

from minilib import ops
from minilib.initializers.initializer import Initializer


class Zeros(Initializer):
    """All zeros, the usual start for biases.

    Example:

    >>> minilib.initializers.Zeros()((2,))
    tensor([0., 0.])
    """

    def __call__(self, shape, dtype=None):
        return ops.zeros(shape, dtype=dtype)


class Ones(Initializer):
    """All ones, the usual start for normalisation scales.

    Example:

    >>> minilib.initializers.Ones()((2, 2))
    tensor([[1., 1.],
            [1., 1.]])
    """

    def __call__(self, shape, dtype=None):
        return ops.ones(shape, dtype=dtype)


class Constant(Initializer):
    """Every entry equal to `value`.

    Args:
        value: a number.

    Example:

    >>> minilib.initializers.Constant(0.5)((2,))
    tensor([0.5000, 0.5000])
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return ops.full(shape, self.value, dtype=dtype)

    def get_config(self):
        return {"value": self.value}


class Identity(Initializer):
    """`gain` times the identity matrix; only for 2-D shapes (rectangular is fine).

    Args:
        gain: the value on the diagonal.

    Example:

    >>> minilib.initializers.Identity(gain=2.0)((2, 3))
    tensor([[2., 0., 0.],
            [0., 2., 0.]])
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity needs a 2-D shape, got {tuple(shape)}.")
        return self.gain * ops.eye(*shape, dtype=dtype)

    def get_config(self):
        return {"gain": self.gain}
