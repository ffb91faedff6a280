"""clone_model: the same architecture again, with new layers and fresh weights."""

import types

from minilib.graph.keras_tensor import KerasTensor
from minilib.layers.core.input_layer import Input
from minilib.models.functional import Functional
from minilib.models.sequential import Sequential
from minilib.serialization.object_configs import deserialize_keras_object, serialize_keras_object
from minilib.serialization.object_registry import get_registered_name
from minilib.utils import tree


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model with the architecture of `model` and new weights.

    Cloning is like calling the model on new inputs, except that every layer is
    replaced by a copy first. By default a layer is copied through its config,
    `type(layer).from_config(layer.get_config())`, so the copy has no weights of
    its own until it is called. Pass `clone_function` to copy differently, or to
    swap layers while you copy (see the second example).

    A layer used twice in the model (shared) is copied once, and the copy is used
    twice. A compiled model gives a clone compiled the same way, with a new
    optimizer (as in Keras). Your own unregistered functions inside layer configs
    (a custom activation) must be known while cloning, as when loading: clone
    inside `with minilib.saving.custom_object_scope({"my_activation": my_activation}):`.

    Args:
        model: a Sequential or functional model (or a subclassed model with
            `get_config`, cloned through its config).
        input_tensors: symbolic tensors (from `minilib.Input`) to build the clone
            on, in the structure of `model.input`; new `Input`s by default.
        clone_function: `fn(layer) -> layer`, called once for every layer except
            the inputs; copies the layer through its config by default.

    Returns:
        The clone: a Sequential for a Sequential, a functional model for a
        functional one, with the same name.

    Example: same config, new random weights; copy the weights over if you want them.

    >>> model = minilib.Sequential([minilib.Input(shape=(4,)), minilib.layers.Dense(2)])
    >>> twin = minilib.models.clone_model(model)
    >>> twin is model, twin.layers[0] is model.layers[0]
    (False, False)
    >>> np.array_equal(twin.get_weights()[0], model.get_weights()[0])
    False
    >>> twin.set_weights(model.get_weights())
    >>> np.array_equal(twin.get_weights()[0], model.get_weights()[0])
    True

    Example: a copy for inference, with every Dropout swapped for an Identity.

    >>> def no_dropout(layer):
    ...     if isinstance(layer, minilib.layers.Dropout):
    ...         return minilib.layers.Identity()
    ...     return type(layer).from_config(layer.get_config())
    >>> model = minilib.Sequential([minilib.Input(shape=(4,)), minilib.layers.Dropout(0.5),
    ...                             minilib.layers.Dense(2)])
    >>> inference_model = minilib.models.clone_model(model, clone_function=no_dropout)
    >>> [type(layer).__name__ for layer in inference_model.layers]
    ['Identity', 'Dense']
    """
    if clone_function is not None and not callable(clone_function):
        raise ValueError(f"clone_model: clone_function must be a function layer -> layer, "
                         f"got {clone_function!r}.")
    clone_layer = _cached(clone_function or _copy_through_config)
    if isinstance(model, Sequential):
        clone = _clone_sequential(model, input_tensors, clone_layer)
    elif isinstance(model, Functional):
        clone = _clone_functional(model, input_tensors, clone_layer)
    else:
        return _clone_subclassed(model, input_tensors, clone_function)
    if model.compiled:
        clone.compile(**_fresh_compile_arguments(model.get_compile_config()))
    return clone


def _copy_through_config(layer):
    return type(layer).from_config(layer.get_config())


def _cached(clone_function):
    """`clone_function`, called at most once per layer, so a shared layer stays shared."""
    clones = {}

    def clone_layer(layer):
        if id(layer) not in clones:
            clones[id(layer)] = clone_function(layer)
        return clones[id(layer)]

    return clone_layer


def _clone_sequential(model, input_tensors, clone_layer):
    layers = [clone_layer(layer) for layer in model.layers]
    if input_tensors is not None:
        if isinstance(input_tensors, list | tuple):
            if len(input_tensors) != 1:
                raise ValueError(f"clone_model: Sequential '{model.name}' has one input, so "
                                 f"input_tensors must hold one tensor, got {len(input_tensors)}.")
            input_tensors = input_tensors[0]
        _check_symbolic(input_tensors)
        layers.insert(0, Input(tensor=input_tensors))
    elif model.built:
        old_input = model.inputs[0]
        input_layer = old_input._keras_history.operation
        layers.insert(0, Input(batch_shape=old_input.shape, dtype=old_input.dtype,
                               name=input_layer.name))
    return Sequential(layers, name=model.name, trainable=model.trainable)


def _clone_functional(model, input_tensors, clone_layer):
    if input_tensors is None:
        input_tensors = tree.map_structure(
            lambda tensor: Input(batch_shape=tensor.shape, dtype=tensor.dtype, name=tensor.name),
            model.input)
    new_inputs = tree.flatten(input_tensors)
    for tensor in new_inputs:
        _check_symbolic(tensor)
    if len(new_inputs) != len(model.inputs):
        raise ValueError(f"clone_model: model '{model.name}' has {len(model.inputs)} input(s), "
                         f"but input_tensors holds {len(new_inputs)}.")
    new_tensor = {id(old): new for old, new in zip(model.inputs, new_inputs, strict=True)}

    def renew(value):
        return new_tensor[id(value)] if isinstance(value, KerasTensor) else value

    for node in model._nodes:  # in run order: a node's inputs are always made before it
        args, kwargs = tree.map_structure(renew, (list(node.call_args), node.call_kwargs))
        outputs = clone_layer(node.operation)(*args, **kwargs)
        for old, new in zip(node.output_tensors, tree.flatten(outputs), strict=True):
            new_tensor[id(old)] = new
    return Functional(input_tensors, tree.map_structure(renew, model.output), name=model.name)


def _clone_subclassed(model, input_tensors, clone_function):
    """A model of your own class is cloned the only way it can be: through its config."""
    if input_tensors is not None or clone_function is not None:
        raise ValueError(f"clone_model: input_tensors and clone_function work only for "
                         f"Sequential and functional models; '{model.name}' is a "
                         f"{type(model).__name__}.")
    cls = type(model)
    return deserialize_keras_object(serialize_keras_object(model),
                                    {cls.__name__: cls, get_registered_name(cls): cls})


def _check_symbolic(tensor):
    if not isinstance(tensor, KerasTensor):
        raise ValueError(f"clone_model: input_tensors must be symbolic tensors from "
                         f"minilib.Input, got {type(tensor).__name__}.")


def _fresh_compile_arguments(compile_config):
    """New optimizer, loss and metric objects made from the ones `compile` was given.

    The clone must not share them: an optimizer holds state for its model's weights.
    The originals' own classes and functions are passed along, so that your
    unregistered losses and metrics are found again.
    """
    own_objects = {}
    for value in tree.flatten(compile_config):
        if isinstance(value, types.FunctionType):
            own_objects[get_registered_name(value)] = value
        elif hasattr(value, "get_config"):
            own_objects[get_registered_name(type(value))] = type(value)
    return deserialize_keras_object(serialize_keras_object(compile_config), own_objects)
