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

Objects become configs (and configs objects) in `minilib.serialization`, which
needs no file; this package writes them into files, with h5py. One module per idea:

- `saving_api`: `save_model`, `load_model`, `save_weights`, `load_weights`;
- `keras_file`, `weights_file`, `weights_layout`: the two file formats;
- `legacy_h5`, `legacy_h5_config`: whole models in the older `.h5` format;
- `atomic_write`: never leave a half-written file.

`import minilib` does not load this package (h5py is slow to import): `minilib.saving`
and `model.save()` load it the first time they are used.
"""

from minilib.saving.saving_api import load_model, load_weights, save_model, save_weights
from minilib.serialization import (
    CustomObjectScope,
    custom_object_scope,
    deserialize_keras_object,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)

__all__ = [
    "CustomObjectScope", "custom_object_scope", "deserialize_keras_object", "get_custom_objects",
    "get_registered_name", "get_registered_object", "load_model", "load_weights",
    "register_keras_serializable", "save_model", "save_weights", "serialize_keras_object",
]
