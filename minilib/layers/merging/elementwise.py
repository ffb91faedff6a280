"""Element-wise merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum.

Each takes a list of tensors of the same (or broadcastable) shape::

    >>> x1, x2 = np.array([[1.0, 2.0]]), np.array([[10.0, 20.0]])
    >>> minilib.layers.Add()([x1, x2])     # x1 + x2
    tensor([[11., 22.]])
    >>> minilib.layers.add([x1, x2])       # the same, as a function
    tensor([[11., 22.]])
"""

import functools

from minilib import ops
from minilib.layers.merging.merge import Merge


class Add(Merge):
    """Sum of the inputs."""

    def _merge(self, inputs):
        return functools.reduce(ops.add, inputs)


class Subtract(Merge):
    """First input minus the second (exactly two inputs)."""

    def _merge(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"Subtract layer '{self.name}' needs exactly 2 inputs, "
                             f"got {len(inputs)}.")
        return ops.subtract(inputs[0], inputs[1])


class Multiply(Merge):
    """Element-wise product of the inputs."""

    def _merge(self, inputs):
        return functools.reduce(ops.multiply, inputs)


class Average(Merge):
    """Element-wise mean of the inputs."""

    def _merge(self, inputs):
        return ops.divide(functools.reduce(ops.add, inputs), len(inputs))


class Maximum(Merge):
    """Element-wise maximum of the inputs."""

    def _merge(self, inputs):
        return functools.reduce(ops.maximum, inputs)


class Minimum(Merge):
    """Element-wise minimum of the inputs."""

    def _merge(self, inputs):
        return functools.reduce(ops.minimum, inputs)


def add(inputs, **kwargs):
    """`Add()(inputs)` in one call."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """`Subtract()(inputs)` in one call."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """`Multiply()(inputs)` in one call."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """`Average()(inputs)` in one call."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """`Maximum()(inputs)` in one call."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """`Minimum()(inputs)` in one call."""
    return Minimum(**kwargs)(inputs)
