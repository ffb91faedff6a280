"""Functional: a model defined by a graph of layer calls."""

from minilib.graph.keras_tensor import KerasTensor
from minilib.layers import mask_propagation
from minilib.layers.core.input_layer import InputLayer
from minilib.models.functional_config import (
    functional_from_config,
    functional_get_config,
    layers_in_keras_order,
)
from minilib.models.model import Model
from minilib.models.registration import register_layers
from minilib.utils import tree


class Functional(Model):
    """A model made from symbolic `inputs` and `outputs` by `minilib.Model(inputs, outputs)`.

    Each layer call on a symbolic tensor recorded a `Node`. The model walks back from
    `outputs` to `inputs`, puts the nodes in an order where every node comes after the
    nodes feeding it, and runs them in that order on real data. Inputs and outputs may
    be one tensor, a list or a dict; the model returns its outputs in the same structure.

    Args:
        inputs: symbolic input(s), each straight from `minilib.Input`.
        outputs: symbolic output(s) reached from those inputs.
        name: the model's name.
        trainable: whether the model's weights are trained.

    Example, two inputs joined into one output:

    >>> image = minilib.Input(shape=(8,), name="image")
    >>> tags = minilib.Input(shape=(3,), name="tags")
    >>> joined = minilib.layers.Concatenate()([image, tags])
    >>> model = minilib.Model([image, tags], minilib.layers.Dense(1)(joined))
    >>> isinstance(model, minilib.models.Functional)
    True
    >>> [layer.name for layer in model.layers]
    ['image', 'tags', 'concatenate', 'dense']
    >>> model([np.ones((2, 8)), np.ones((2, 3))]).shape
    torch.Size([2, 1])
    """

    _obj_type = "Functional"  # see Model._obj_type

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = tree.flatten(inputs)
        self.outputs = tree.flatten(outputs)
        for tensor in self.inputs + self.outputs:
            if not isinstance(tensor, KerasTensor):
                raise TypeError(f"Model '{self.name}': inputs and outputs must be symbolic "
                                f"tensors (from minilib.Input and layer calls), got "
                                f"{type(tensor).__name__}.")
        for tensor in self.inputs:
            if not isinstance(tensor._keras_history.operation, InputLayer):
                raise ValueError(f"Model '{self.name}': every input must come straight from "
                                 f"minilib.Input, but '{tensor.name}' was made by layer "
                                 f"'{tensor._keras_history.operation.name}'.")
        # The layer that made each output; several outputs of one layer repeat its name.
        self.output_names = [t._keras_history.operation.name for t in self.outputs]
        self._nodes = _nodes_in_run_order(self.inputs, self.outputs, self.name)
        self._layer_list = layers_in_keras_order(self)  # inputs first, as Keras lists them
        register_layers(self, self._layer_list)
        self._mark_built([t.shape for t in self.inputs])

    @property
    def layers(self):
        return list(self._layer_list)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        """The shape of the input, batch size `None` included; a list for several inputs."""
        return _shapes(self.inputs)

    @property
    def output_shape(self):
        """The shape of the output, batch size `None` included; a list for several outputs."""
        return _shapes(self.outputs)

    def call(self, inputs, training=None, mask=None):
        inputs = self._match_inputs(inputs)
        if mask is not None:  # masks given for the inputs travel with them, as in Keras
            mask_propagation.attach_mask(inputs, tree.flatten(mask))
        values = {id(t): x for t, x in zip(self.inputs, inputs, strict=True)}

        def lookup(item):
            return values[id(item)] if isinstance(item, KerasTensor) else item

        for node in self._nodes:
            args, kwargs = tree.map_structure(lookup, (list(node.call_args), node.call_kwargs))
            outputs = node.operation(*args, **kwargs)
            for tensor, value in zip(node.output_tensors, tree.flatten(outputs), strict=True):
                values[id(tensor)] = value
        return tree.pack_as(self._outputs_struct, [values[id(t)] for t in self.outputs])

    def _match_inputs(self, data):
        """Line up the data given with `self.inputs`, by position or by name."""
        names = [t.name for t in self.inputs]
        if isinstance(data, dict):
            # A dict of inputs is matched by its keys; a list of inputs by their names.
            keys = sorted(self._inputs_struct) if isinstance(self._inputs_struct, dict) else names
            missing = [key for key in keys if key not in data]
            if missing:
                raise ValueError(f"Model '{self.name}' is missing input(s) {missing}; "
                                 f"it expects keys {keys}, got {sorted(data)}.")
            return [data[key] for key in keys]
        flat = [data] if len(self.inputs) == 1 and not isinstance(data, list | tuple) \
            else tree.flatten(data)
        if len(flat) != len(self.inputs):
            raise ValueError(f"Model '{self.name}' expects {len(self.inputs)} input(s) "
                             f"({', '.join(names)}), but received {len(flat)}.")
        return flat

    def get_config(self):
        return functional_get_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return functional_from_config(cls, config, custom_objects)


def make_functional(cls):
    """Put `Functional` where `Model` stands among `cls`'s ancestors, as Keras does.

    Then `cls(inputs, outputs)` runs the graph, while the methods `cls` defines
    (`train_step`, `metrics`, ...) still come first:

        class CustomModel(minilib.Model):
            def train_step(self, data): ...

        model = CustomModel(inputs, outputs)   # a Functional that is a CustomModel
    """
    if cls is Model:
        return Functional
    if issubclass(cls, Functional) or not issubclass(cls, Model):
        return cls
    cls.__bases__ = tuple(make_functional(base) for base in cls.__bases__)
    return cls


def _shapes(tensors):
    shapes = [tuple(t.shape) for t in tensors]
    return shapes[0] if len(shapes) == 1 else shapes


def _nodes_in_run_order(inputs, outputs, model_name):
    """The nodes between `inputs` and `outputs`, each after the nodes it depends on."""
    input_ids = {id(t) for t in inputs}
    order, visited = [], set()

    def visit(node):
        if id(node) in visited:
            return
        visited.add(id(node))
        for tensor in node.input_tensors:
            if id(tensor) in input_ids:
                continue
            if tensor.node.is_input:
                raise ValueError(
                    f"Model '{model_name}': the graph is disconnected. An output depends on "
                    f"input '{tensor.name}', which is not among the model's inputs "
                    f"{[t.name for t in inputs]}.")
            visit(tensor.node)
        order.append(node)

    for tensor in outputs:
        if id(tensor) not in input_ids:
            if tensor.node.is_input:
                raise ValueError(f"Model '{model_name}': output '{tensor.name}' is an Input "
                                 f"that is not among the model's inputs.")
            visit(tensor.node)
    return order
