"""Layer: the base class of every minilib layer and model, and how layers are called."""

import functools
import inspect
import json

import numpy as np
import torch

from minilib import constraints, initializers, regularizers
from minilib.backend import config, to_torch_dtype
from minilib.backend.naming import to_snake_case, unique_name
from minilib.backend.variable import Variable
from minilib.graph.keras_tensor import KerasTensor, is_symbolic
from minilib.graph.symbolic_call import infer_output_spec, symbolic_call
from minilib.layers import call_context, masking
from minilib.layers.input_spec import InputSpec, check_input
from minilib.utils import tree


def default_build(method):
    """Mark a `build` that needs no call: sublayers build themselves on first use."""
    method.is_default_build = True
    return method


def _marks_built(build):
    """Wrap a subclass's `build` so that calling it directly also marks the layer built."""

    @functools.wraps(build)
    def build_and_mark(self, *args, **kwargs):
        build(self, *args, **kwargs)
        if self._build_shapes is None and args:
            self._build_shapes = args[0]
        self.built = True

    return build_and_mark


_NEVER_CALLED = ("Layer '{name}' has never been called on a symbolic input, so it has no "
                 "`{attribute}` yet.")


class Layer(torch.nn.Module):
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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "is_default_build", False):
            cls.build = _marks_built(build)  # `layer.build(shape)` leaves it built, as in Keras

    def __new__(cls, *args, **kwargs):
        layer = super().__new__(cls)
        # Kept so that custom layers without get_config() can still be saved.
        object.__setattr__(layer, "_constructor_arguments", (args, kwargs))
        return layer

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
        self.built = False
        self._input_spec = None
        self._accepted_shapes = None
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._inbound_nodes = []
        self._losses = []
        self._weight_regularizers = []
        self._build_shapes = None
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
            mask = masking.mask_of(inputs)
            if mask is not None and self._call_takes_mask:
                kwargs["mask"] = mask
        # torch's Module.__call__ runs hooks, then forward(), which runs call().
        outputs = torch.nn.Module.__call__(self, *args, **kwargs)
        if self.activity_regularizer is not None:
            self.add_loss(self.activity_regularizer(outputs))
        # Without an incoming mask the default compute_mask gives None: skip it (hot path).
        if self.supports_masking and (mask is not None or self._computes_own_mask):
            masking.attach_mask(outputs, self.compute_mask(inputs, mask))
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

    # ---------------------------------------------------------------- building
    @default_build
    def build(self, input_shape):
        """Create the weights, now that the input shape is known. Override it."""
        self.built = True

    def _maybe_build(self, shapes):
        if not getattr(type(self).build, "is_default_build", False):
            self.build(shapes)
        self._build_shapes = shapes
        self.built = True

    @property
    def input_spec(self):
        """An `InputSpec` (or a list, one per input) that inputs are checked against."""
        return self._input_spec

    @input_spec.setter
    def input_spec(self, spec):
        self._input_spec = spec
        self._accepted_shapes = None

    def _check_input_spec(self, shapes):
        specs = self.input_spec
        if specs is None:
            return
        if isinstance(specs, InputSpec):
            if isinstance(shapes, list) and shapes and isinstance(shapes[0], tuple | list):
                shapes = shapes[0]  # a single-input layer given a one-element list
            check_input(specs, shapes, self.name)
            return
        flat = _flatten_shapes(shapes)
        for index, (spec, shape) in enumerate(zip(specs, flat, strict=False)):
            if spec is not None:
                check_input(spec, shape, self.name, index)

    def compute_output_shape(self, input_shape):
        """The output shape for a given input shape (`None` for unknown sizes)."""
        symbolic = tree.map_structure(lambda s: KerasTensor(s), _shapes_as_leaves(input_shape))
        outputs = infer_output_spec(self, [symbolic], {})
        return tree.map_structure(lambda t: t.shape, outputs)

    def compute_output_spec(self, *args, **kwargs):
        """Symbolic outputs (shape and dtype) for symbolic inputs."""
        if type(self).compute_output_shape is Layer.compute_output_shape:
            return infer_output_spec(self, args, kwargs)
        input_shapes = tree.map_structure(lambda t: t.shape, args[0])
        output_shapes = self.compute_output_shape(input_shapes)
        return _shapes_to_tensors(output_shapes, self._dtype)

    # ----------------------------------------------------------------- weights
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   name=None):
        """Create a weight (a `Variable`) that this layer owns and tracks.

        Args:
            shape: the weight's shape, e.g. `(input_dim, units)`.
            initializer: a name ("glorot_uniform", "zeros", ...) or an initializer.
                Defaults to "glorot_uniform" for floats and "zeros" otherwise.
            trainable: whether training updates it (False for running statistics).
            regularizer: a penalty on the weight, collected in `layer.losses`.
            constraint: a rule re-applied after every optimizer step, e.g. `"non_neg"`.
            name: a short name such as "kernel".
        """
        dtype = dtype or self._dtype
        if initializer is None:
            initializer = "glorot_uniform" if to_torch_dtype(dtype).is_floating_point else "zeros"
        shape = () if shape is None else tuple(shape)
        variable = Variable(initializers.get(initializer), shape=shape, dtype=dtype,
                            trainable=trainable, name=name or "variable")
        if not self.trainable:
            variable.requires_grad_(False)
        key = variable.name
        suffix = 0
        while key in self._parameters or self.__dict__.get(key, None) is not None:
            suffix += 1
            key = f"{variable.name}_{suffix}"
        self.__dict__.pop(key, None)  # a `self.bias = None` placeholder gives way
        variable.path = f"{self.name}/{key}"
        self.register_parameter(key, variable)
        if regularizer is not None:
            self._weight_regularizers.append((variable, regularizers.get(regularizer)))
        variable.constraint = constraints.get(constraint)
        return variable

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

    @property
    def weights(self):
        """All weights: this layer's own first, then each sublayer's, without repeats."""
        own = [p for p in self._parameters.values() if isinstance(p, Variable)]
        return _unique(own + [w for layer in self._layers for w in layer.weights])

    variables = weights

    @property
    def trainable_weights(self):
        """The weights that training updates (none when the layer is frozen)."""
        if not self.trainable:
            return []
        own = [p for p in self._parameters.values() if isinstance(p, Variable) and p.trainable]
        return _unique(own + [w for layer in self._layers for w in layer.trainable_weights])

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        """Weights that training leaves alone (all of them when `trainable=False`)."""
        if not self.trainable:
            return self.weights
        own = [p for p in self._parameters.values()
               if isinstance(p, Variable) and not p.trainable]
        return _unique(own + [w for layer in self._layers for w in layer.non_trainable_weights])

    non_trainable_variables = non_trainable_weights

    @property
    def trainable(self):
        """Set to False to freeze the layer and everything inside it."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = value
        for variable in self._parameters.values():
            if isinstance(variable, Variable):
                variable.requires_grad_(bool(value) and variable.trainable
                                        and variable.is_floating_point())

    def get_weights(self):
        """The weights as a list of NumPy arrays, in the order of `weights`."""
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights):
        """Load NumPy arrays into the weights. Count and shapes must match."""
        own = self.weights
        if len(weights) != len(own):
            expected = ", ".join(f"{w.path} {tuple(w.shape)}" for w in own) or "none"
            raise ValueError(f"Layer '{self.name}' has {len(own)} weights ({expected}), "
                             f"but set_weights() received {len(weights)} arrays.")
        for variable, value in zip(own, weights, strict=True):
            shape = tuple(np.shape(value))
            if shape != tuple(variable.shape):
                raise ValueError(f"Layer '{self.name}': weight '{variable.path}' has shape "
                                 f"{tuple(variable.shape)}, but the array given has shape {shape}.")
            variable.assign(np.asarray(value))

    def count_params(self):
        """The number of scalars in all weights."""
        if not self.built:
            raise ValueError(f"Layer '{self.name}' is not built yet, so it has no weights to "
                             f"count. Call it on data, or call build(input_shape), first.")
        return sum(int(np.prod(w.shape)) for w in self.weights)

    @property
    def dtype(self):
        """The dtype of the layer's weights and computation, as a string."""
        return self._dtype

    compute_dtype = variable_dtype = dtype

    # ------------------------------------------------------------------ losses
    def add_loss(self, loss):
        """Add a value to minimize during training, from inside `call`.

        The list lasts until this layer, or a layer holding it, is called again
        from outside any layer call: `model(x)` empties the lists of all its layers.
        """
        self._losses.append(loss)

    def _clear_losses(self):
        for layer in [self, *self._descendants()]:
            layer._losses = []

    @property
    def losses(self):
        """Losses from `add_loss` in this layer's latest forward pass, plus weight penalties."""
        return losses_of([self, *self._descendants()])

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
        # A property that raises AttributeError hands over to __getattr__ (torch's, which
        # would only say "no attribute 'input'"): keep the reason.
        if name in ("input", "output") and not self.__dict__.get("_inbound_nodes"):
            raise AttributeError(_NEVER_CALLED.format(
                name=self.__dict__.get("name", type(self).__name__), attribute=name))
        return super().__getattr__(name)

    # ----------------------------------------------------------- serialization
    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        config_dict = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype}
        if type(self).get_config is Layer.get_config:
            config_dict.update(self._captured_arguments())
        return config_dict

    def _captured_arguments(self):
        args, kwargs = self._constructor_arguments
        try:
            bound = inspect.signature(type(self).__init__).bind(None, *args, **kwargs)
        except TypeError:
            return {}
        captured = {k: v for k, v in bound.arguments.items() if k not in ("self", "kwargs")}
        captured.update(bound.arguments.get("kwargs", {}))
        try:
            json.dumps(captured)
        except TypeError as error:
            raise NotImplementedError(
                f"Layer {type(self).__name__} cannot be saved automatically: {error}. "
                f"Override get_config() to return its constructor arguments.") from None
        return captured

    @classmethod
    def from_config(cls, config):
        """Make a new layer from `get_config()`'s output."""
        return cls(**config)

    def get_build_config(self):
        """The input shape the layer was built with, so a loaded layer can rebuild."""
        return {"input_shape": self._build_shapes} if self._build_shapes is not None else None

    def build_from_config(self, build_config):
        """Build from `get_build_config()`'s output (used when loading a saved model)."""
        if build_config and not self.built:
            shapes = _shapes_as_leaves(build_config["input_shape"])
            self.build(shapes)
            self._build_shapes = shapes
            self.built = True

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def losses_of(layers):
    """The `add_loss` values of the latest forward pass and the weight penalties of `layers`."""
    found = []
    for layer in layers:
        found.extend(layer._losses)
        found.extend(regularizer(variable) for variable, regularizer in layer._weight_regularizers)
    return found


def _unique(variables):
    """Drop repeats (a layer shared twice), keeping the first occurrence."""
    return list({id(v): v for v in variables}.values())


def _dtype_name_from_config(dtype):
    if isinstance(dtype, dict):  # a Keras DTypePolicy config
        dtype = dtype.get("config", {}).get("name")
    if dtype is None:
        return config.floatx()
    return str(to_torch_dtype(dtype)).removeprefix("torch.")


def _is_shape(value):
    return isinstance(value, tuple | list) and all(d is None or isinstance(d, int) for d in value) \
        and not (value and all(isinstance(d, tuple | list) for d in value))


def _shapes_as_leaves(shapes):
    """Make every shape a tuple leaf so `tree` treats it as one item."""
    if _is_shape(shapes):
        return _ShapeLeaf(shapes)
    if isinstance(shapes, dict):
        return {k: _shapes_as_leaves(v) for k, v in shapes.items()}
    return [_shapes_as_leaves(s) for s in shapes]


class _ShapeLeaf(tuple):
    """A shape that `tree.flatten` must not walk into."""


def _flatten_shapes(shapes):
    if _is_shape(shapes):
        return [tuple(shapes)]
    items = shapes.values() if isinstance(shapes, dict) else shapes
    return [s for item in items for s in _flatten_shapes(item)]


def _shapes_to_tensors(shapes, dtype):
    if _is_shape(shapes):
        return KerasTensor(shapes, dtype=dtype)
    if isinstance(shapes, dict):
        return {k: _shapes_to_tensors(v, dtype) for k, v in shapes.items()}
    return [_shapes_to_tensors(s, dtype) for s in shapes]


def _direct_layers(modules):
    """Layers among `modules`, looking into (nested) ModuleLists and ModuleDicts."""
    for module in modules:
        if isinstance(module, Layer):
            yield module
        elif isinstance(module, torch.nn.ModuleList | torch.nn.ModuleDict):
            yield from _direct_layers(module._modules.values())
