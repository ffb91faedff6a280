"""Add, Subtract, Multiply, Average, Maximum, Minimum: element-wise merges of tensors."""

import functools

from minilib import ops
from minilib.layers.merging.merge import Merge


class Add(Merge):
    """Sum of the inputs.

    Add and the other element-wise merges (Subtract, Multiply, Average, Maximum,
    Minimum) take a list of tensors and combine them position by position. The
    shapes must broadcast against each other: equal sizes, or 1 on one side. A
    residual connection is `Add()([x, block(x)])`.

    Input shape:
        A list of tensors of the same (or broadcastable) shape.

    Output shape:
        The broadcast shape.

    Example:

    >>> x1, x2 = np.array([[1.0, 2.0]]), np.array([[10.0, 20.0]])
    >>> minilib.layers.Add()([x1, x2])     # x1 + x2
    tensor([[11., 22.]])
    >>> minilib.layers.add([x1, x2])       # the same, as a function
    tensor([[11., 22.]])
    """

    def _merge(self, inputs):
        return functools.reduce(ops.add, inputs)


class Subtract(Merge):
    """First input minus the second (exactly two inputs); see `Add` for the shapes.

    Example:

    >>> minilib.layers.Subtract()([np.array([[10.0, 20.0]]), np.array([[1.0, 2.0]])])
    tensor([[ 9., 18.]])
    """

    def _merge(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"Subtract layer '{self.name}' needs exactly 2 inputs, "
                             f"got {len(inputs)}.")
        return ops.subtract(inputs[0], inputs[1])


class Multiply(Merge):
    """Element-wise product of the inputs; see `Add` for the shapes.

    Example:

    >>> minilib.layers.Multiply()([np.array([[1.0, 2.0]]), np.array([[10.0, 20.0]])])
    tensor([[10., 40.]])
    """

    def _merge(self, inputs):
        return functools.reduce(ops.multiply, inputs)


class Average(Merge):
    """Element-wise mean of the inputs; see `Add` for the shapes.

    Example:

    >>> minilib.layers.Average()([np.array([[1.0, 2.0]]), np.array([[3.0, 6.0]])])
    tensor([[2., 4.]])
    """

    def _merge(self, inputs):
        return ops.divide(functools.reduce(ops.add, inputs), len(inputs))


class Maximum(Merge):
    """Element-wise maximum of the inputs; see `Add` for the shapes.

    Example:

    >>> minilib.layers.Maximum()([np.array([[1.0, 20.0]]), np.array([[10.0, 2.0]])])
    tensor([[10., 20.]])
    """

    def _merge(self, inputs):
        return functools.reduce(ops.maximum, inputs)


class Minimum(Merge):
    """Element-wise minimum of the inputs; see `Add` for the shapes.

    Example:

    >>> minilib.layers.Minimum()([np.array([[1.0, 20.0]]), np.array([[10.0, 2.0]])])
    tensor([[1., 2.]])
    """

    def _merge(self, inputs):
        return functools.reduce(ops.minimum, inputs)


def add(inputs, **kwargs):
    """`Add()(inputs)` in one call.

    Example:

    >>> minilib.layers.add([np.array([[1.0]]), np.array([[2.0]])])
    tensor([[3.]])
    """
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """`Subtract()(inputs)` in one call.

    Example:

    >>> minilib.layers.subtract([np.array([[3.0]]), np.array([[2.0]])])
    tensor([[1.]])
    """
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """`Multiply()(inputs)` in one call.

    Example:

    >>> minilib.layers.multiply([np.array([[3.0]]), np.array([[2.0]])])
    tensor([[6.]])
    """
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """`Average()(inputs)` in one call.

    Example:

    >>> minilib.layers.average([np.array([[3.0]]), np.array([[2.0]])])
    tensor([[2.5000]])
    """
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """`Maximum()(inputs)` in one call.

    Example:

    >>> minilib.layers.maximum([np.array([[3.0]]), np.array([[2.0]])])
    tensor([[3.]])
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """`Minimum()(inputs)` in one call.

    Example:

    >>> minilib.layers.minimum([np.array([[3.0]]), np.array([[2.0]])])
    tensor([[2.]])
    """
    return Minimum(**kwargs)(inputs)
