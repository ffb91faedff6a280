"""Objects as JSON-friendly configs and back, without any file: the layer under saving.

A layer, model, optimizer, loss or metric becomes a dict naming its class and its
constructor arguments (`serialize_keras_object`), and that dict makes a new one
(`deserialize_keras_object`). Layers and models use this for their own configs
(an RNN stores its cell, a Sequential its layers), so this package sits below them
and imports none of them: it finds classes by name when it reads a config.

`minilib.saving` writes these configs into files, with h5py; it sits above the
models it saves. Keras offers the names below as `keras.saving.*` (and some as
`keras.utils.*`); so does minilib, from this package.

One module per idea:

- `object_configs`: `serialize_keras_object` and `deserialize_keras_object`;
- `object_registry`: where your own classes are found;
- `builtin_objects`: where minilib's own classes are found, under Keras's names;
- `keras_only_options`: options Keras writes for features minilib lacks.
"""

from minilib.serialization.object_configs import (
    deserialize_keras_object,
    serialize_keras_object,
)
from minilib.serialization.object_registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)

__all__ = [
    "CustomObjectScope", "custom_object_scope", "deserialize_keras_object", "get_custom_objects",
    "get_registered_name", "get_registered_object", "register_keras_serializable",
    "serialize_keras_object",
]
