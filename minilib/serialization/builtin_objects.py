"""Finding minilib's own classes and functions by the names Keras writes in its files.

A saved object records where its class lives, e.g. `"module": "keras.layers",
"class_name": "Dense"`. minilib writes exactly what real Keras writes, and reads
`keras.layers` as `minilib.layers`, so a config can travel between the two::

    >>> keras_location(minilib.layers.Dense)
    ('keras.layers', None)
    >>> find_builtin_class("keras.layers", "Dense")
    <class 'minilib.layers.core.dense.Dense'>

Built-in *functions* (`"relu"`, `"mean_squared_error"`) are saved by name alone,
with `"module": "builtins"`, as Keras does.
"""

import importlib

# The public submodules, in the order they are searched: `minilib.<path>` is `keras.<path>`.
_SUBMODULES = ("layers", "models", "optimizers", "optimizers.schedules", "losses", "metrics",
               "initializers", "regularizers", "constraints", "activations")
_FUNCTION_SUBMODULES = ("activations", "losses", "metrics")

# Keras does not export Functional under a public name; it records this module
# instead, and so do we, so that Keras can load minilib's functional models.
_PRIVATE_KERAS_MODULES = {"Functional": "keras.src.models.functional"}


def _namespace(path):
    """The module `minilib` (for "") or `minilib.<path>`, imported on first use."""
    return importlib.import_module(f"minilib.{path}" if path else "minilib")


def keras_location(cls):
    """`(module, registered_name)` that Keras writes for a minilib class, or None if not public.

    Public classes get `("keras.<submodule>", None)`; Functional gets Keras's
    private module and its class name as registered name, exactly as Keras saves it.
    """
    name = cls.__name__
    if name in _PRIVATE_KERAS_MODULES and getattr(_namespace("models"), name, None) is cls:
        return _PRIVATE_KERAS_MODULES[name], name
    for path in ("", *_SUBMODULES):
        if getattr(_namespace(path), name, None) is cls:
            return (f"keras.{path}" if path else "keras"), None
    return None


def find_builtin_class(module, class_name):
    """The minilib class that Keras's `module` + `class_name` (or minilib's own) stands for."""
    package, _, rest = (module or "").partition(".")
    if package == "minilib" and rest:
        # Classes that are not exported are saved under their own module path.
        try:
            found = getattr(importlib.import_module(module), class_name, None)
        except ModuleNotFoundError:
            found = None
        if isinstance(found, type):
            return found
    if package not in ("keras", "minilib"):
        return None
    found = getattr(_namespace(_submodule(rest)), class_name, None)
    return found if isinstance(found, type) else None


def builtin_class_names(module):
    """The public minilib classes of the kind that Keras's `module` holds (layers, losses...)."""
    namespace = _namespace(_submodule((module or "").partition(".")[2]))
    found = [getattr(namespace, name, None) for name in getattr(namespace, "__all__", ())]
    return sorted({cls.__name__ for cls in found if isinstance(cls, type)})  # no aliases


def _submodule(path):
    """The public submodule that a Keras module path stands for ("" for the top level).

    The last public submodule named in the path counts, so that Keras's
    "keras.src.backend.torch.optimizers.torch_adam" still means minilib.optimizers.
    """
    by_last_part = {submodule.rsplit(".", 1)[-1]: submodule for submodule in _SUBMODULES}
    found = [by_last_part[part] for part in path.split(".") if part in by_last_part]
    return found[-1] if found else ""


def find_builtin_function(name):
    """minilib's activation, loss or metric function called `name`, or None."""
    for path in _FUNCTION_SUBMODULES:
        found = getattr(_namespace(path), name, None)
        if callable(found) and not isinstance(found, type):
            return found
    return None

