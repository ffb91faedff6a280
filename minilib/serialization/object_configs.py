"""Turning objects into JSON-friendly dicts and back, in Keras 3's format.

Every layer, model, optimizer, loss or metric becomes a dict like this one::

    >>> serialize_keras_object(minilib.layers.Dense(4, name="d"))
    {'module': 'keras.layers', 'class_name': 'Dense',
     'config': {'name': 'd', 'trainable': True, 'dtype': 'float32', 'units': 4, ...},
     'registered_name': None}

- `config` is the object's `get_config()`: its constructor arguments.
- `module` and `class_name` say which class to rebuild it with. minilib's own
  classes are recorded under the names real Keras uses (see `builtin_objects`).
- `registered_name` is `None` for built-in classes; for your own classes it is
  the name they were registered under (or just the class name).
- `build_config` (the input shape) lets a loaded layer create its weights at once;
  a compiled model also carries `compile_config` (`model.get_compile_config()`).

`deserialize_keras_object` reads such a dict: it finds the class, calls
`cls.from_config(config)`, then builds and compiles the result if asked to.
Plain values (numbers, strings, lists, dicts) pass through unchanged.
"""

import inspect
import types

import numpy as np
import torch

from minilib.serialization import builtin_objects, object_registry


def serialize_keras_object(obj):
    """A JSON-friendly description of `obj` from which `deserialize_keras_object` rebuilds it.

    Objects with a `get_config` become a dict (see the module docstring); plain
    values, lists and dicts pass through, and arrays become lists of their values.

    >>> serialize_keras_object(minilib.optimizers.SGD(learning_rate=0.1))["config"]["learning_rate"]
    0.1
    >>> serialize_keras_object([1, "relu", None])
    [1, 'relu', None]
    """
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, list | tuple):
        return [serialize_keras_object(item) for item in obj]
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, torch.Tensor | np.ndarray):
        array = obj.detach().cpu().numpy() if isinstance(obj, torch.Tensor) else obj
        if array.ndim == 0:
            return array.item()
        kind = "__tensor__" if isinstance(obj, torch.Tensor) else "__numpy__"
        return {"class_name": kind, "config": {"value": array.tolist(), "dtype": str(array.dtype)}}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, types.FunctionType | types.BuiltinFunctionType):
        return _serialize_function(obj)
    if hasattr(obj, "get_config"):
        return _serialize_instance(obj)
    raise TypeError(f"Cannot save {obj!r} (of type {type(obj).__name__}): give its class a "
                    f"get_config() method that returns its constructor arguments.")


def _serialize_function(function):
    if function.__name__ == "<lambda>":
        raise ValueError("Cannot save a lambda: Python code is not portable data. "
                         "Use a named function, registered with "
                         "@minilib.saving.register_keras_serializable().")
    # Keras saves every function by (registered) name only, under the pseudo-module "builtins".
    return {"module": "builtins", "class_name": "function",
            "config": object_registry.get_registered_name(function),
            "registered_name": "function"}


def _serialize_instance(obj):
    cls = type(obj)
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(f"{cls.__name__}.get_config() must return a dict, "
                        f"got {type(config).__name__}.")
    location = builtin_objects.keras_location(cls)
    if location is not None:
        module, registered_name = location
    else:
        module, registered_name = cls.__module__, object_registry.get_registered_name(cls)
    serialized = {
        "module": None if module == "__main__" else module,
        "class_name": cls.__name__,
        "config": serialize_keras_object(config),
        "registered_name": registered_name,
    }
    build_config = obj.get_build_config() if hasattr(obj, "get_build_config") else None
    if build_config is not None:
        serialized["build_config"] = serialize_keras_object(build_config)
    compile_config = obj.get_compile_config() if hasattr(obj, "get_compile_config") else None
    if compile_config is not None:
        serialized["compile_config"] = serialize_keras_object(compile_config)
    return serialized


def deserialize_keras_object(config, custom_objects=None, safe_mode=True):
    """Rebuild the object that `serialize_keras_object` described.

    Args:
        config: the dict (or a plain value, returned as it is).
        custom_objects: `{"Name": class_or_function}` for your own classes and
            functions that are not registered.
        safe_mode: accepted for Keras compatibility. minilib never runs code
            stored in a file, so loading is always safe.

    >>> config = serialize_keras_object(minilib.layers.Dense(4, name="d"))
    >>> layer = deserialize_keras_object(config)
    >>> type(layer).__name__, layer.units, layer.name
    ('Dense', 4, 'd')
    """
    if config is None or isinstance(config, str | int | float | bool):
        return config
    if isinstance(config, list | tuple):
        return [deserialize_keras_object(item, custom_objects) for item in config]
    if not isinstance(config, dict):
        raise TypeError(f"Cannot deserialize {config!r}: expected a dict, a list or a "
                        f"plain value.")
    if "class_name" not in config or "config" not in config:
        return {key: deserialize_keras_object(value, custom_objects)
                for key, value in config.items()}

    class_name, inner_config = config["class_name"], config["config"]
    if class_name in ("__numpy__", "__tensor__"):
        array = np.array(inner_config["value"], dtype=inner_config["dtype"])
        return torch.as_tensor(array) if class_name == "__tensor__" else array
    if class_name == "__lambda__":
        raise ValueError("This file contains a Python lambda (saved by Keras). minilib never "
                         "runs code stored in files, so it cannot load it, even with "
                         "safe_mode=False. Replace the lambda with a named function.")
    if class_name == "function":
        return find_function(inner_config, custom_objects)

    cls = _find_class(config, custom_objects)
    # Nested from_config calls (a layer rebuilding its sublayers) see custom_objects too.
    with object_registry.custom_object_scope(custom_objects):
        instance = cls.from_config(inner_config or {})
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            instance.build_from_config(build_config)
        compile_config = config.get("compile_config")
        if compile_config:
            instance.compile(**deserialize_keras_object(compile_config, custom_objects))
    return instance


def find_function(name, custom_objects=None):
    """Your function or minilib's activation, loss or metric function saved as `name`.

    Example:

    >>> find_function("mean_squared_error")
    <function mean_squared_error at ...>
    """
    found = (object_registry.get_registered_object(name, custom_objects)
             or builtin_objects.find_builtin_function(name))
    if found is None:
        package, _, short_name = name.rpartition(">")
        register = (f"@minilib.saving.register_keras_serializable(package='{package}', "
                    f"name='{short_name}')" if package
                    else "@minilib.saving.register_keras_serializable()")
        raise TypeError(f"Unknown function '{name}'. If it is your own function, pass it when "
                        f"loading: custom_objects={{'{name}': your_function}}, or decorate it "
                        f"with {register}.")
    return found


def with_function_found(config):
    """A copy of `config` whose `"fn"`, a function saved by its name, is the function again.

    `LossFunctionWrapper` and `MeanMetricWrapper` save the function they wrap as
    `"fn": fn.__name__`; their `from_config` turns the name back into the function here.

    Example:

    >>> with_function_found({"fn": "mean_squared_error", "name": "mse"})
    {'fn': <function mean_squared_error at ...>, 'name': 'mse'}
    """
    config = dict(config)
    if "fn" in config:
        config["fn"] = find_function(config["fn"])
    return config


def _find_class(config, custom_objects):
    class_name, module = config["class_name"], config.get("module")
    registered_name = config.get("registered_name") or class_name
    found = (object_registry.get_registered_object(registered_name, custom_objects)
             or object_registry.get_registered_object(class_name, custom_objects)
             or builtin_objects.find_builtin_class(module, class_name))
    if found is None:
        builtin = ""
        if (module or "").partition(".")[0] == "keras":  # a Keras class minilib lacks
            builtin = (f" minilib does not implement this Keras class; it implements "
                       f"{', '.join(builtin_objects.builtin_class_names(module))}.")
        raise TypeError(f"Unknown class '{class_name}' (module '{module}').{builtin} If it is "
                        f"your own class, pass it when loading: custom_objects="
                        f"{{'{class_name}': {class_name}}}, or decorate the class with "
                        f"@minilib.saving.register_keras_serializable().")
    if not inspect.isclass(found) or not hasattr(found, "from_config"):
        raise TypeError(f"'{class_name}' resolved to {found!r}, which has no from_config().")
    return found
