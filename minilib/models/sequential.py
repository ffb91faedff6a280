"""Sequential: a model that is a plain stack of layers, each feeding the next."""

from minilib.graph.keras_tensor import KerasTensor
from minilib.layers.core.input_layer import InputLayer
from minilib.layers.layer import Layer
from minilib.models.model import Model
from minilib.models.registration import register_layers, unregister_layer
from minilib.serialization.object_configs import deserialize_keras_object, serialize_keras_object


class Sequential(Model):
    """A linear stack of layers, each feeding the next.

    When the input shape is known (from `Input`, or a first layer's `input_shape`)
    the model builds at once: every layer gets its weights and a symbolic `.output`,
    so `summary()` works before any data is seen. Otherwise it builds on first call.
    `add(layer)` puts a layer on top of the stack and `pop()` takes the top one off.

    Args:
        layers: the layers, in order. The first may be `minilib.Input(shape)`.
        trainable: whether the model's weights are trained.
        name: the model's name.

    Example:

    >>> model = minilib.Sequential([
    ...     minilib.Input(shape=(4,)),
    ...     minilib.layers.Dense(3, activation="relu"),
    ...     minilib.layers.Dense(1),
    ... ])
    >>> model.output_shape                  # built already: the input shape is known
    (None, 1)
    >>> model.summary()
    Model: "sequential"
    ...
     dense (Dense)                   (None, 3)                        15
     dense_1 (Dense)                 (None, 1)                         4
    ...
     Total params: 19 (76.00 B)
    ...
    >>> model(np.ones((2, 4))).shape
    torch.Size([2, 1])
    """

    _obj_type = "Sequential"  # see Model._obj_type

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._stack = []
        self._graph_nodes = []
        self.inputs = self.outputs = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    def add(self, layer, rebuild=True):
        """Append a layer on top of the stack."""
        if isinstance(layer, KerasTensor):  # minilib.Input(...) stands for its InputLayer
            layer = layer._keras_history.operation
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential '{self.name}' can only stack layers, got "
                            f"{type(layer).__name__}: {layer!r}.")
        if isinstance(layer, InputLayer) and self._stack:
            raise ValueError(f"Sequential '{self.name}': an Input can only be the first layer.")
        register_layers(self, [*self._stack, layer])
        self._stack.append(layer)
        if rebuild:
            self._rebuild()

    def pop(self, rebuild=True):
        """Remove and return the top layer."""
        if not self.layers:
            raise TypeError(f"Sequential '{self.name}' has no layers to pop.")
        layer = self._stack.pop()
        unregister_layer(self, layer)
        if rebuild:
            self._rebuild()
        return layer

    @property
    def layers(self):
        return [layer for layer in self._stack if not isinstance(layer, InputLayer)]

    @property
    def input(self):
        return self._graph_attribute("inputs")[0]

    @property
    def output(self):
        return self._graph_attribute("outputs")[0]

    @property
    def input_shape(self):
        """The input's shape, batch size `None` included, e.g. `(None, 784)`."""
        return tuple(self._symbolic_tensor("inputs", "input shape").shape)

    @property
    def output_shape(self):
        """The output's shape, batch size `None` included, e.g. `(None, 10)`."""
        return tuple(self._symbolic_tensor("outputs", "output shape").shape)

    def _symbolic_tensor(self, attribute, what):
        if getattr(self, attribute) is None:
            # An AttributeError, as in Keras (hasattr(model, "output_shape") is False).
            raise AttributeError(f"Sequential model '{self.name}' has no defined {what} yet: "
                                 f"start it with minilib.Input(shape=...), or build it.")
        return getattr(self, attribute)[0]

    def _graph_attribute(self, attribute):
        if getattr(self, attribute) is None:
            raise ValueError(f"Sequential '{self.name}' has no {attribute[:-1]} yet: give it "
                                 f"an input shape, e.g. minilib.Input(shape=...) first.")
        return getattr(self, attribute)

    def build(self, input_shape=None):
        """Build with `input_shape` (batch dimension included), e.g. `(None, 784)`."""
        if input_shape is not None and not self._stack_has_input():
            self._stack.insert(0, InputLayer(batch_shape=tuple(input_shape)))
        self._rebuild()
        if not self.built:
            raise ValueError(f"Sequential '{self.name}' cannot build without an input shape.")

    def _stack_has_input(self):
        return bool(self._stack) and isinstance(self._stack[0], InputLayer)

    def _rebuild(self):
        """Call every layer on a symbolic input, so each gets weights and an output."""
        for layer, node in self._graph_nodes:
            layer._inbound_nodes.remove(node)
        self._graph_nodes = []
        if self._stack_has_input():
            inputs = self._stack[0].output
        elif self.layers and self.layers[0]._declared_input_shape is not None:
            inputs = InputLayer(shape=self.layers[0]._declared_input_shape).output
        else:
            return
        outputs = inputs
        for layer in self.layers:
            outputs = layer(outputs)
            self._graph_nodes.append((layer, layer._inbound_nodes[-1]))
        self.inputs, self.outputs = [inputs], [outputs]
        self._mark_built(inputs.shape)

    def _maybe_build(self, shapes):
        if not self.built:
            self.build(tuple(None if i == 0 else d for i, d in enumerate(shapes)))

    def call(self, inputs, training=None):
        outputs = inputs
        for layer in self._stack:
            outputs = layer(outputs)
        return outputs

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable, "dtype": self.dtype,
                "layers": [serialize_keras_object(layer) for layer in self._stack],
                "build_input_shape": self._build_shapes}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        model = cls(name=config["name"], trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            model.add(deserialize_keras_object(layer_config, custom_objects), rebuild=False)
        if not model._stack_has_input() and config.get("build_input_shape"):
            model._stack.insert(0, InputLayer(batch_shape=tuple(config["build_input_shape"])))
        model._rebuild()
        return model
