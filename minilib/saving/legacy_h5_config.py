"""The two JSON configs of a legacy `.h5` model file, and how they differ from `.keras`.

A legacy file stores the architecture in the attribute `model_config` and the
compile settings in `training_config`. Keras 3 still writes them the old
(Keras 2) way, which is terser than the `.keras` config:

- a layer is `{"class_name": "Dense", "config": {...}}`: no `module`, no
  `registered_name`, no `build_config`. A class is found by its name alone,
  and the name of a registered class is its registered name, `"pkg>MyLayer"`;
- the optimizer is `training_config["optimizer_config"]`, not part of
  the compile settings; losses and metrics are names or `{"class_name", "config"}`.

Objects *inside* a layer's config (initializers, a custom activation) are
written as in `.keras` files. So writing takes the `.keras` config and strips
the layer entries (`legacy_model_config`); reading adds `module` and
`registered_name` back (`keras3_model_config`) and rebuilds with the usual
`deserialize_keras_object`, which finds your own classes in `custom_objects`,
a `custom_object_scope` or the registry.
"""

import types

from minilib.serialization import builtin_objects, object_registry
from minilib.serialization.keras_only_options import drop_keras_only_options
from minilib.serialization.object_configs import deserialize_keras_object, serialize_keras_object

# Entries of a functional model's layer list that sit beside `class_name` and `config`.
_WIRING_KEYS = ("name", "inbound_nodes")


def legacy_model_config(model):
    """`model_config` for `model`: its class name and its config, with legacy layer entries."""
    config = serialize_keras_object(model)["config"]
    # As Keras: the model's own class name, even if it is registered under another name.
    return {"class_name": type(model).__name__, "config": _legacy_layers(config)}


def _legacy_layers(config):
    """A Sequential's or functional model's config with each layer entry in the old form."""
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        return config
    return {**config, "layers": [_legacy_layer(entry) for entry in config["layers"]]}


def _legacy_layer(entry):
    legacy = {"class_name": entry.get("registered_name") or entry["class_name"],
              "config": _legacy_layers(entry["config"])}
    legacy.update({key: entry[key] for key in _WIRING_KEYS if key in entry})
    return legacy


def keras3_model_config(model_config, custom_objects, source):
    """`model_config` in the `.keras` form that `deserialize_keras_object` reads.

    Options that only Keras has are dropped (see `keras_only_options`);
    `source` names the file in error messages.
    """
    if not isinstance(model_config, dict) or "class_name" not in model_config \
            or not isinstance(model_config.get("config"), dict):
        raise ValueError(f"{source}: model_config does not describe a model: expected a dict "
                         f"with 'class_name' and 'config'.")
    return drop_keras_only_options(_keras3_entry(model_config, custom_objects), source)


def _keras3_entry(entry, custom_objects):
    if not isinstance(entry, dict) or "class_name" not in entry:
        return entry
    entry = dict(entry)
    if "module" not in entry:
        entry.update(_locate(entry["class_name"], ("layers", "models"), custom_objects))
    inner = entry.get("config")
    if isinstance(inner, dict) and isinstance(inner.get("layers"), list):
        entry["config"] = {**inner, "layers": [_keras3_entry(layer, custom_objects)
                                               for layer in inner["layers"]]}
    return entry


def _locate(class_name, submodules, custom_objects):
    """`module` and `registered_name` for a class known by `class_name` alone.

    Your own objects come first, as in Keras: `custom_objects={"Dense": MyDense}`
    wins over the built-in Dense.
    """
    if object_registry.get_registered_object(class_name, custom_objects) is None:
        for submodule in submodules:
            if builtin_objects.find_builtin_class(f"keras.{submodule}", class_name):
                return {"module": f"keras.{submodule}", "registered_name": None}
    return {"module": None, "registered_name": class_name}


def legacy_training_config(model):
    """`training_config` for a compiled `model`: its compile settings and its optimizer."""
    settings = model.get_compile_config()
    config = {key: _legacy_object(value) for key, value in settings.items()
              if key != "optimizer"}
    optimizer = model.optimizer
    config["optimizer_config"] = {
        "class_name": object_registry.get_registered_name(type(optimizer)),
        "config": serialize_keras_object(optimizer.get_config())}
    return config


def _legacy_object(value):
    """A loss or metric (or a list or dict of them) as Keras 2 saved it."""
    if isinstance(value, list | tuple):
        return [_legacy_object(item) for item in value]
    if isinstance(value, dict):
        return {key: _legacy_object(item) for key, item in value.items()}
    if isinstance(value, types.FunctionType):
        return object_registry.get_registered_name(value)
    if hasattr(value, "get_config"):
        return {"class_name": object_registry.get_registered_name(type(value)),
                "config": serialize_keras_object(value.get_config())}
    return value


def compile_arguments(training_config, custom_objects, source):
    """The keyword arguments for `model.compile` that `training_config` describes."""
    optimizer_config = training_config.get("optimizer_config")
    if not isinstance(optimizer_config, dict) or "class_name" not in optimizer_config:
        raise ValueError(f"{source}: training_config has no optimizer_config, so the model "
                         f"cannot be compiled again; load it with compile=False.")
    return {
        "optimizer": _revive(optimizer_config, "optimizers", custom_objects, source),
        "loss": _revive(training_config.get("loss"), "losses", custom_objects, source),
        "metrics": _revive(training_config.get("metrics"), "metrics", custom_objects, source),
        "weighted_metrics": _revive(training_config.get("weighted_metrics"), "metrics",
                                    custom_objects, source),
        "loss_weights": training_config.get("loss_weights"),
    }


def _revive(value, submodule, custom_objects, source):
    """Rebuild a saved optimizer, loss or metric (or a list or dict of them).

    A name stays a name (`compile` understands "mse" or "accuracy") unless it
    is one of your own functions, which is looked up like any saved object.
    """
    if isinstance(value, str):
        found = object_registry.get_registered_object(value, custom_objects)
        return value if found is None else found
    if isinstance(value, list):
        return [_revive(item, submodule, custom_objects, source) for item in value]
    if not isinstance(value, dict):
        return value
    if "class_name" not in value or "config" not in value:
        return {key: _revive(item, submodule, custom_objects, source)
                for key, item in value.items()}
    entry = value if "module" in value else \
        {**value, **_locate(value["class_name"], (submodule,), custom_objects)}
    return deserialize_keras_object(drop_keras_only_options(entry, source), custom_objects)
