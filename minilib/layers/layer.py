"""Layer: the base class of every minilib layer and model, and how layers are called.

`Layer` is written in parts, one concept to a file, which it mixes in:

- layer_building.py: `build`, `built`, and the build config a saved model keeps;
- layer_shapes.py: the `input_spec` inputs are checked against, and output shapes;
- layer_weights.py: `add_weight`, the weight lists, `trainable`, `get/set_weights`;
- layer_losses.py: `add_loss` and `losses`;
- layer_config.py: `get_config` and `from_config`.

This file holds the rest: what a layer stores, what happens when it is called
(`__call__`), its sublayers, and its place in a graph of symbolic calls.
"""

import inspect

import numpy as np
import torch

from minilib import regularizers
from minilib.backend import config, to_torch_dtype
from minilib.backend.naming import to_snake_case, unique_name
from minilib.backend.variable import Variable
from minilib.graph.keras_tensor import is_symbolic
from minilib.graph.symbolic_call import symbolic_call
from minilib.layers import call_context, mask_propagation
from minilib.layers.layer_building import NOT_BUILT, LayerBuilding
from minilib.layers.layer_config import LayerConfig
from minilib.layers.layer_losses import LayerLosses
from minilib.layers.layer_shapes import LayerShapes
from minilib.layers.layer_weights import LayerWeights
from minilib.utils import tree

_NEVER_CALLED = ("Layer '{name}' has never been called on a symbolic input, so it has no "
                 "`{attribute}` yet.")


class Layer(LayerBuilding, LayerShapes, LayerWeights, LayerLosses, LayerConfig, torch.nn.Module):
    """Base class of all layers and models: some state (weights) and a computation (`call`).

    Writing a layer takes three methods, exactly as in Keras: `__init__` stores the
    settings only, `build(input_shape)` makes the weights with `add_weight` once the
    input size is known (on the first call), and `call(inputs)` computes.

    Every Layer is also a `torch.nn.Module`, so `parameters()`, `state_dict()`,
    `.to("cuda")` and `torch.compile` work on it as on any PyTorch module.

    Args:
        trainable: whether the layer's weights are updated by training.
        dtype: the dtype of the weights and of the computation (default "float32").
        name: a unique name; by default made from the class name (`dense`, `dense_1`).
        activity_regularizer: a penalty on the layer's outputs, added to `losses`.
        input_shape: the shape of one sample, so a `Sequential` model can build
            itself at once (Keras 2 style; `minilib.Input(shape)` is preferred).

    Example:

    >>> class Linear(minilib.layers.Layer):
    ...     def __init__(self, units=32, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.units = units                      # 1. store settings only
    ...
    ...     def build(self, input_shape):               # 2. make weights once the
    ...         self.w = self.add_weight(               #    input size is known
    ...             shape=(input_shape[-1], self.units), initializer="glorot_uniform")
    ...         self.b = self.add_weight(shape=(self.units,), initializer="zeros")
    ...
    ...     def call(self, inputs):                     # 3. compute
    ...         return minilib.ops.matmul(inputs, self.w) + self.b
    >>> layer = Linear(4)
    >>> layer(np.ones((2, 3))).shape                    # the first call builds the weights
    torch.Size([2, 4])
    >>> [tuple(w.shape) for w in layer.weights]
    [(3, 4), (4,)]
    """

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, input_shape=None, input_dim=None, **kwargs):
        if kwargs:
            unexpected = ", ".join(sorted(kwargs))
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): "
                            f"{unexpected}.")
        super().__init__()
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self._dtype = _dtype_name_from_config(dtype)
        self._torch_dtype = to_torch_dtype(self._dtype)
        self.autocast = autocast
        self._build_record = NOT_BUILT  # whether, and for which input shape, it is built
        self._input_spec = None
        self._accepted_shapes = None
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._inbound_nodes = []
        self._losses = []
        self._weight_regularizers = []
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        self._declared_input_shape = tuple(input_shape) if input_shape is not None else None
        call_parameters = inspect.signature(self.call).parameters
        self._call_takes_training = "training" in call_parameters
        self._call_takes_mask = "mask" in call_parameters
        # As in Keras, a layer that defines compute_mask takes part in masking.
        self._computes_own_mask = type(self).compute_mask is not Layer.compute_mask
        self.supports_masking = self._computes_own_mask

    # ----------------------------------------------------------------- calling
    def __call__(self, *args, **kwargs):
        if (args and is_symbolic(args[0])) or (kwargs and is_symbolic(kwargs)):
            return symbolic_call(self, args, kwargs)
        if args:
            args = (self._convert_input(args[0]), *args[1:])
        inputs = args[0] if args else next(iter(kwargs.values()))
        if not self.built or self._input_spec is not None:
            shapes = tuple(inputs.shape) if isinstance(inputs, torch.Tensor) else \
                tree.map_structure(lambda t: tuple(t.shape), inputs)
            if not self.built:
                self._maybe_build(shapes)
            if shapes != self._accepted_shapes:  # checking a shape once is enough
                self._check_input_spec(shapes)
                self._accepted_shapes = shapes

        training = kwargs.pop("training", None)
        context = call_context.current()
        if context is None:
            self._clear_losses()  # as in Keras, the outermost call starts afresh
            with call_context.CallContext(training):
                return self._call_with_training(args, kwargs, training)
        if training is None:
            return self._call_with_training(args, kwargs, context.training)
        outer_training, context.training = context.training, training
        try:
            return self._call_with_training(args, kwargs, training)
        finally:
            context.training = outer_training

    def _call_with_training(self, args, kwargs, training):
        if self._call_takes_training and training is not None:
            kwargs["training"] = training
        inputs = args[0] if args else None
        mask = kwargs.get("mask")
        if mask is None:
            mask = mask_propagation.mask_of(inputs)
            if mask is not None and self._call_takes_mask:
                kwargs["mask"] = mask
        # torch's Module.__call__ runs hooks, then forward(), which runs call().
        outputs = torch.nn.Module.__call__(self, *args, **kwargs)
        if self.activity_regularizer is not None:
            self.add_loss(self.activity_regularizer(outputs))
        # Without an incoming mask the default compute_mask gives None: skip it (hot path).
        if self.supports_masking and (mask is not None or self._computes_own_mask):
            mask_propagation.attach_mask(outputs, self.compute_mask(inputs, mask))
        return outputs

    def compute_mask(self, inputs, previous_mask=None):
        """The mask of the output: which positions are real data and which are padding.

        Called after `call` when `supports_masking` is True (set it in `__init__`
        for a layer that keeps the time steps as they are). This default passes
        the input's mask on. Override it to make a mask (Embedding with
        `mask_zero`), to change one (a layer that splits the time axis), or to
        return None from a layer that used the mask up. A layer that overrides
        it supports masking by default::

            class Halve(minilib.layers.Layer):      # keeps the first half of the steps
                def call(self, inputs):
                    return inputs[:, : inputs.shape[1] // 2]

                def compute_mask(self, inputs, previous_mask=None):
                    if previous_mask is None:
                        return None
                    return previous_mask[:, : previous_mask.shape[1] // 2]
        """
        return previous_mask

    def forward(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def call(self, inputs, *args, **kwargs):
        """The computation. Subclasses override this; the base returns its input."""
        return inputs

    def _convert_input(self, inputs):
        """NumPy arrays and lists become tensors; floats get the layer's dtype."""
        if isinstance(inputs, torch.Tensor):
            if self.autocast and inputs.is_floating_point() and inputs.dtype != self._torch_dtype:
                return inputs.to(self._torch_dtype)
            return inputs
        if isinstance(inputs, list | tuple | dict) and tree.flatten(inputs) and all(
                isinstance(t, torch.Tensor) for t in tree.flatten(inputs)):
            return inputs
        if isinstance(inputs, list | tuple | dict):
            return tree.map_structure(self._convert_input, inputs)
        tensor = torch.as_tensor(np.asarray(inputs), device=config.device())
        if tensor.is_floating_point():
            tensor = tensor.to(self._torch_dtype)
        return tensor

    # --------------------------------------------------- sublayers and weights
    def __setattr__(self, name, value):
        if isinstance(value, Variable) and name not in self._parameters:
            old_key = next((k for k, v in self._parameters.items() if v is value), None)
            if old_key is not None:
                # `self.w = self.add_weight(...)`: track the weight as `w`, in the same place.
                self.__dict__.pop(name, None)
                self._parameters = {name if k == old_key else k: v
                                    for k, v in self._parameters.items()}
                return
        if (not name.startswith("_") and isinstance(value, list | tuple) and value
                and all(isinstance(v, Layer) for v in value)):
            value = torch.nn.ModuleList(value)  # so torch sees the sublayers' parameters
        super().__setattr__(name, value)

    @property
    def _layers(self):
        """The direct sublayers, looking inside lists and dicts of layers."""
        return list(_direct_layers(self._modules.values()))

    def _descendants(self):
        """Every layer inside this one, at any depth, each once."""
        found = {}
        for layer in self._layers:
            found[id(layer)] = layer
            for inner in layer._descendants():
                found[id(inner)] = inner
        return list(found.values())

    # ------------------------------------------------------------------- graph
    @property
    def input(self):
        """The symbolic input of this layer's first call (in a functional model)."""
        return self._first_node("input").call_args[0]

    @property
    def output(self):
        """The symbolic output of this layer's first call (in a functional model)."""
        return self._first_node("output").outputs

    def _first_node(self, attribute):
        """The node of the layer's first call. As in Keras, a layer never called has no
        `input` or `output` attribute at all (so `hasattr` says False), and a shared layer
        answers for its first call."""
        if not self._inbound_nodes:
            raise AttributeError(_NEVER_CALLED.format(name=self.name, attribute=attribute))
        return self._inbound_nodes[0]

    def __getattr__(self, name):
        # Python asks here for what is not a plain attribute: torch keeps weights and
        # sublayers in dicts of their own. Looked up first, as torch's __getattr__ would,
        # since a layer reads them at every call.
        for registered in ("_parameters", "_modules"):
            found = self.__dict__.get(registered)  # (missing until torch's __init__ has run)
            if found is not None and name in found:
                return found[name]
        # A property that raises AttributeError hands over to __getattr__ (torch's, which
        # would only say "no attribute 'input'"): keep the reason.
        if name in ("input", "output") and not self.__dict__.get("_inbound_nodes"):
            raise AttributeError(_NEVER_CALLED.format(
                name=self.__dict__.get("name", type(self).__name__), attribute=name))
        return super().__getattr__(name)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _dtype_name_from_config(dtype):
    if isinstance(dtype, dict):  # a Keras DTypePolicy config
        dtype = dtype.get("config", {}).get("name")
    if dtype is None:
        return config.floatx()
    return str(to_torch_dtype(dtype)).removeprefix("torch.")


def _direct_layers(modules):
    """Layers among `modules`, looking into (nested) ModuleLists and ModuleDicts."""
    for module in modules:
        if isinstance(module, Layer):
            yield module
        elif isinstance(module, torch.nn.ModuleList | torch.nn.ModuleDict):
            yield from _direct_layers(module._modules.values())
