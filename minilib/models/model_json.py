"""A model's architecture as a JSON string: `model.to_json()` and `models.model_from_json`.

    json_string = model.to_json()                      # layers, wiring, compile settings
    same_architecture = minilib.models.model_from_json(json_string)

The string holds no weights: the new model starts from fresh ones. It holds the
compile settings, so a compiled model comes back compiled (as in Keras). The
JSON is `serialize_keras_object(model)`, Keras's own format, so a string from
Keras loads in minilib (for the layers minilib has) and the other way round.
"""

import json

from minilib.serialization.keras_only_options import drop_keras_only_options
from minilib.serialization.object_configs import deserialize_keras_object, serialize_keras_object


def model_to_json(model, **kwargs):
    """The architecture of `model` as JSON; `kwargs` go to `json.dumps` (e.g. `indent=2`)."""
    return json.dumps(serialize_keras_object(model), **kwargs)


def model_from_json(json_string, custom_objects=None):
    """Make a new model, with fresh weights, from `model.to_json()`'s string.

    Args:
        json_string: the JSON written by `to_json` (minilib's or Keras's).
        custom_objects: `{"Name": class_or_function}` for your own layers and
            functions that are not registered.

    Example: the same layers and shapes, new starting weights.

    >>> model = minilib.Sequential([minilib.Input((4,)), minilib.layers.Dense(2)])
    >>> twin = minilib.models.model_from_json(model.to_json())
    >>> type(twin).__name__, twin.output_shape
    ('Sequential', (None, 2))
    >>> bool((twin.layers[0].kernel == model.layers[0].kernel).all())
    False
    """
    try:
        config = json.loads(json_string)
    except ValueError as error:
        raise ValueError(f"model_from_json: the string is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("model_from_json: expected the JSON of one model, a dict with "
                         f"'class_name' and 'config', got {str(config)[:80]!r}.")
    config = drop_keras_only_options(config, "model_from_json")
    return deserialize_keras_object(config, custom_objects)
