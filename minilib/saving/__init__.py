"""Saving models to files and loading them back, in Keras 3's file formats.

    model.save("model.keras")                      # everything: a zip archive
    model = minilib.saving.load_model("model.keras")

    model.save_weights("model.weights.h5")         # the variables only: an HDF5 file
    model.load_weights("model.weights.h5")

    model.save("model.h5")                         # the legacy format Keras 3 still writes

Your own layers and models are saved by class name and `get_config()`; tell the
loader about them with `custom_objects={"MyLayer": MyLayer}` or register them::

    @minilib.saving.register_keras_serializable()
    class MyLayer(minilib.layers.Layer):
        ...

The files follow Keras 3's layout (see `keras_file`, `weights_file` and
`weights_layout`), so that they can be exchanged with real Keras.

One module per idea:

- `serialization`: objects to JSON-friendly dicts and back;
- `object_registry`: where your own classes are found;
- `builtin_objects`: where minilib's own classes are found, under Keras's names;
- `keras_file`, `weights_file`, `weights_layout`: the two file formats;
- `keras_only_options`: options Keras writes for features minilib lacks;
- `atomic_write`: never leave a half-written file;
- `legacy_h5`, `legacy_h5_config`: whole models in the older `.h5` format;
- `model_json`, `layer_serialization`: architectures as JSON, layers as dicts;
- `saving_api`: the four functions below.
"""

from minilib.saving.object_registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from minilib.saving.serialization import deserialize_keras_object, serialize_keras_object

# The file formats need h5py, which is slow to import; they load on first use,
# so that `minilib.layers` can use the serialization functions above cheaply.
_FILE_FUNCTIONS = ("load_model", "load_weights", "save_model", "save_weights")


def __getattr__(name):
    if name in _FILE_FUNCTIONS:
        from minilib.saving import saving_api

        return getattr(saving_api, name)
    raise AttributeError(f"module 'minilib.saving' has no attribute {name!r}")


__all__ = [
    "CustomObjectScope", "custom_object_scope", "deserialize_keras_object", "get_custom_objects",
    "get_registered_name", "get_registered_object", "load_model", "load_weights",
    "register_keras_serializable", "save_model", "save_weights", "serialize_keras_object",
]
