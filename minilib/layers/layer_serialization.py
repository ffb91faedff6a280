"""A layer as a JSON-friendly dict and back: `minilib.layers.serialize` and `deserialize`.

    >>> config = minilib.layers.serialize(minilib.layers.Dense(3, activation="relu"))
    >>> config["class_name"], config["config"]["units"]
    ('Dense', 3)
    >>> minilib.layers.deserialize(config)          # a new Dense, with fresh weights
    <Dense name=dense, built=False>

The dict is exactly what Keras 3 writes, so a layer config can travel between
minilib and Keras. Your own layers need `custom_objects={"MyLayer": MyLayer}`,
a `custom_object_scope`, or registration (see `object_registry`).
"""

from minilib.layers.layer import Layer
from minilib.serialization.keras_only_options import drop_keras_only_options
from minilib.serialization.object_configs import deserialize_keras_object, serialize_keras_object


def serialize(layer):
    """The layer's class and `get_config()` as a dict (Keras's `keras.layers.serialize`).

    Example:

    >>> config = minilib.layers.serialize(minilib.layers.Dropout(0.5, name="drop"))
    >>> config["module"], config["class_name"], config["config"]["rate"]
    ('keras.layers', 'Dropout', 0.5)
    """
    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """Make a new layer from `serialize`'s dict.

    Args:
        config: the dict from `serialize` (or from Keras).
        custom_objects: `{"Name": class_or_function}` for your own layers and
            functions that are not registered.

    Raises:
        ValueError: if `config` describes something other than a layer.

    Example, a config as Keras writes it:

    >>> minilib.layers.deserialize({"module": "keras.layers", "class_name": "Dense",
    ...                             "config": {"units": 2, "name": "out"}})
    <Dense name=out, built=False>
    """
    config = drop_keras_only_options(config, "layers.deserialize")
    layer = deserialize_keras_object(config, custom_objects)
    if not isinstance(layer, Layer):
        raise ValueError(f"layers.deserialize expects the config of a layer, but this config "
                         f"made a {type(layer).__name__}: {config!r}")
    return layer
