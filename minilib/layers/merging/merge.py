"""Merge: the base of layers that combine a list of tensors into one.

Element-wise merges (Add, Multiply, Average, ...) need shapes that broadcast
against each other: equal sizes, or 1 on one side.
"""

from minilib.layers.layer import Layer


class Merge(Layer):
    """Combine a list of tensors element by element; subclasses give `_merge`."""

    def build(self, input_shape):
        if not isinstance(input_shape, list | tuple) or not input_shape or not isinstance(
                input_shape[0], list | tuple):
            raise ValueError(f"{type(self).__name__} layer '{self.name}' must be called on a "
                             f"list of tensors, e.g. layer([a, b]); got shape {input_shape}.")
        self.compute_output_shape(input_shape)  # raises if the shapes do not fit

    def call(self, inputs):
        return self._merge(list(inputs))

    def _merge(self, inputs):
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        rank = max(len(s) for s in shapes)
        padded = [(1,) * (rank - len(s)) + s for s in shapes]
        output = []
        for axis, sizes in enumerate(zip(*padded, strict=True)):
            known = {d for d in sizes if d not in (None, 1)}
            if len(known) > 1:
                raise ValueError(f"{type(self).__name__} layer '{self.name}' cannot combine "
                                 f"inputs of shapes {shapes}: axis {axis} has sizes "
                                 f"{sorted(known)}.")
            if known:
                output.append(known.pop())
            else:
                output.append(None if None in sizes else 1)
        return tuple(output)
