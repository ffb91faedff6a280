"""Input shapes of layers with several inputs: a shape, or a list or dict of shapes.

A shape is itself a tuple, so "a list of two shapes" and "a shape of two sizes"
look alike to code that walks nested structures (`minilib.utils.tree`). These
helpers tell them apart: a shape is a tuple or list of sizes (ints or None).

    >>> is_shape((None, 3)), is_shape([(None, 3), (None, 4)])
    (True, False)
    >>> flatten_shapes({"a": (None, 3), "b": [(2,), (5, 1)]})
    [(None, 3), (2,), (5, 1)]
"""

from minilib.graph.keras_tensor import KerasTensor


def is_shape(value):
    """True for one shape, such as `(None, 3)`; False for a list or dict of shapes."""
    return isinstance(value, tuple | list) and all(d is None or isinstance(d, int) for d in value) \
        and not (value and all(isinstance(d, tuple | list) for d in value))


class ShapeLeaf(tuple):
    """A shape that `tree.flatten` must not walk into."""


def shapes_as_leaves(shapes):
    """Make every shape a `ShapeLeaf`, so `tree` treats each as one item."""
    if is_shape(shapes):
        return ShapeLeaf(shapes)
    if isinstance(shapes, dict):
        return {k: shapes_as_leaves(v) for k, v in shapes.items()}
    return [shapes_as_leaves(s) for s in shapes]


def flatten_shapes(shapes):
    """Every shape in `shapes`, as a flat list of tuples."""
    if is_shape(shapes):
        return [tuple(shapes)]
    items = shapes.values() if isinstance(shapes, dict) else shapes
    return [s for item in items for s in flatten_shapes(item)]


def shapes_to_tensors(shapes, dtype):
    """Symbolic tensors (`KerasTensor`) of these shapes, in the same structure."""
    if is_shape(shapes):
        return KerasTensor(shapes, dtype=dtype)
    if isinstance(shapes, dict):
        return {k: shapes_to_tensors(v, dtype) for k, v in shapes.items()}
    return [shapes_to_tensors(s, dtype) for s in shapes]
