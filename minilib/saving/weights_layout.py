"""Where each object's variables go in a Keras 3 weights file.

A weights file is a tree of groups. The model, each layer and the optimizer
get a group named by their *path*, holding their own variables (not their
sublayers') in `vars/`, numbered in order. For a small compiled Sequential model::

    vars                       the model itself (no variables of its own)
    layers/dense/vars/0, 1     the first Dense layer: kernel, bias
    layers/dense_1/vars/0, 1   the second Dense layer
    optimizer/vars/0, 1        the optimizer's step count and learning rate
    optimizer/vars/2 ...       Adam's momentum and velocity for each model weight

Paths follow Keras's rules exactly, so files can be exchanged with Keras:

1. A Sequential or Functional model lists its `layers` first, then its `optimizer`.
2. Other layers and models list the attributes that hold layers (or lists and
   dicts of layers) in alphabetical order, private `_names` last; a Model also
   offers `layers` and `optimizer`.
3. Inside a list, an item is named after its *class*: `dense`, `dense_1`,
   `batch_normalization`... Never after the layer's own name: auto-names such as
   `dense_7` change from one run to the next, class names do not.
4. An object met a second time (a shared layer) keeps the path of its first visit.
"""

import torch

from minilib.backend.naming import to_snake_case
from minilib.layers.layer import Layer
from minilib.models.functional_config import layers_in_keras_order
from minilib.optimizers.optimizer import Optimizer


def objects_by_path(model):
    """`[(path, obj)]` for `model` and every layer and optimizer inside it, in Keras's order."""
    found, visited = [], set()
    _visit(model, "", found, visited)
    return found


def own_variables(obj):
    """The variables stored in `obj`'s group: a layer's own weights, trainable ones
    first, or all of an optimizer's variables."""
    if isinstance(obj, Optimizer):
        return obj.variables
    weights = [p for p in obj._parameters.values() if p is not None]
    trainable = [w for w in weights if getattr(w, "trainable", w.requires_grad)]
    return trainable + [w for w in weights if not getattr(w, "trainable", w.requires_grad)]


def _visit(obj, path, found, visited):
    if id(obj) in visited:
        return
    visited.add(id(obj))
    found.append((path, obj))
    for name, child in _children(obj):
        _visit_value(child, f"{path}/{name}" if path else name, found, visited)


def _visit_value(value, path, found, visited):
    if _has_state(value):
        _visit(value, path, found, visited)
    elif _is_container(value):
        taken = {}
        for item in _items(value):
            if _has_state(item):
                name = _unique(to_snake_case(type(item).__name__), taken)
            elif _is_container(item):
                name = _unique("container", taken)
            else:
                continue
            _visit_value(item, f"{path}/{name}", found, visited)


def _children(obj):
    """`(attribute name, value)` pairs to walk into, in Keras's order."""
    # A model says which kind it is (a subclass of Sequential is a Sequential): the model
    # classes cannot be imported here, since `model.save` imports this module.
    kind = getattr(obj, "_obj_type", None)
    if kind == "Functional":
        return [("layers", layers_in_keras_order(obj)), ("optimizer", obj.optimizer)]
    if kind == "Sequential":
        return [("layers", obj.layers), ("optimizer", obj.optimizer)]
    if not hasattr(obj, "_modules"):  # an optimizer: nothing inside owns variables
        return []
    names = set(obj._modules)  # torch keeps sublayers (and lists of them) here
    names.update(name for name, value in vars(obj).items()
                 if name not in _NOT_ATTRIBUTES and _holds_state(value))
    if kind == "Model":
        names.update(("layers", "optimizer"))
    # Keras sorts private attributes after public ones.
    ordered = sorted(names, key=lambda name: f"~{name}" if name.startswith("_") else name)
    return [(name, getattr(obj, name)) for name in ordered]


# Bookkeeping, not layer attributes: torch's registry of sublayers (walked above) and
# the arguments a layer was made with (a wrapper such as Bidirectional copies the layer
# it is given, so that original holds no weights of the model).
_NOT_ATTRIBUTES = ("_modules", "_constructor_arguments")


def _has_state(value):
    """Layers and optimizers own variables; everything else is walked through or skipped."""
    return isinstance(value, Layer | Optimizer)


def _is_container(value):
    return isinstance(value, list | tuple | dict | torch.nn.ModuleList | torch.nn.ModuleDict)


def _items(container):
    return list(container.values()) if hasattr(container, "values") else list(container)


def _holds_state(value):
    if _has_state(value):
        return True
    return _is_container(value) and any(_holds_state(item) for item in _items(value))


def _unique(name, taken):
    """`dense` the first time, then `dense_1`, `dense_2`, ... (Keras's numbering)."""
    if name not in taken:
        taken[name] = 0
        return name
    taken[name] += 1
    return f"{name}_{taken[name]}"
