"""The shapes a layer accepts and returns: its `input_spec` and `compute_output_shape`.

A layer that declares an `input_spec` has each new input shape checked, so a
wrong input fails at once with a message naming the layer. `compute_output_shape`
answers without any data; a layer that does not override it is run on small
tensors of zeros to find out (`infer_output_spec`), so writing it is optional:

    >>> minilib.layers.Dense(4).compute_output_shape((None, 3))    # Dense's own answer
    (None, 4)
    >>> class Twice(minilib.layers.Layer):                        # no compute_output_shape
    ...     def call(self, inputs):
    ...         return minilib.ops.concatenate([inputs, inputs], axis=-1)
    >>> Twice().compute_output_shape((None, 3))                   # found by a run
    (None, 6)
"""

from minilib.graph.keras_tensor import KerasTensor
from minilib.graph.symbolic_call import infer_output_spec
from minilib.layers.input_spec import InputSpec, check_input
from minilib.layers.nested_shapes import flatten_shapes, shapes_as_leaves, shapes_to_tensors
from minilib.utils import tree


class LayerShapes:
    """The shape part of `Layer`, which mixes it in: `input_spec` and output shapes."""

    @property
    def input_spec(self):
        """An `InputSpec` (or a list, one per input) that inputs are checked against."""
        return self._input_spec

    @input_spec.setter
    def input_spec(self, spec):
        self._input_spec = spec
        self._accepted_shapes = None  # the shapes checked so far: check them again

    def _check_input_spec(self, shapes):
        specs = self.input_spec
        if specs is None:
            return
        if isinstance(specs, InputSpec):
            if isinstance(shapes, list) and shapes and isinstance(shapes[0], tuple | list):
                shapes = shapes[0]  # a single-input layer given a one-element list
            check_input(specs, shapes, self.name)
            return
        flat = flatten_shapes(shapes)
        for index, (spec, shape) in enumerate(zip(specs, flat, strict=False)):
            if spec is not None:
                check_input(spec, shape, self.name, index)

    def compute_output_shape(self, input_shape):
        """The output shape for a given input shape (`None` for unknown sizes)."""
        symbolic = tree.map_structure(lambda s: KerasTensor(s), shapes_as_leaves(input_shape))
        outputs = infer_output_spec(self, [symbolic], {})
        return tree.map_structure(lambda t: t.shape, outputs)

    def compute_output_spec(self, *args, **kwargs):
        """Symbolic outputs (shape and dtype) for symbolic inputs."""
        if type(self).compute_output_shape is LayerShapes.compute_output_shape:
            return infer_output_spec(self, args, kwargs)
        input_shapes = tree.map_structure(lambda t: t.shape, args[0])
        output_shapes = self.compute_output_shape(input_shapes)
        return shapes_to_tensors(output_shapes, self._dtype)
