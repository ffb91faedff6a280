"""Models: Sequential, functional (`Model(inputs, outputs)`) and subclassed."""

from minilib.models.cloning import clone_model
from minilib.models.functional import Functional
from minilib.models.model import Model
from minilib.models.model_json import model_from_json
from minilib.models.sequential import Sequential


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model saved with `model.save("name.keras")`.

    The file holds the architecture, the weights and, for a compiled model, the
    optimizer's state, so training can go on where it stopped. Legacy Keras 2 `.h5`
    files load too. This is `minilib.saving.load_model`, under Keras's other name.

    Args:
        filepath: the `.keras` file, or a legacy `.h5` model file.
        custom_objects: `{"Name": class_or_function}` for your own layers, models,
            losses... that are not registered with `register_keras_serializable`.
        compile: whether to compile the model again as it was when saved.
        safe_mode: accepted for Keras compatibility (minilib never runs code from files).

    Example:

    >>> model = minilib.Sequential([minilib.Input(shape=(4,)), minilib.layers.Dense(2)])
    >>> model.save("tiny.keras")
    >>> restored = minilib.models.load_model("tiny.keras")
    >>> restored.output_shape
    (None, 2)
    >>> np.array_equal(restored.get_weights()[0], model.get_weights()[0])
    True
    """
    from minilib.saving import load_model as load

    return load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json"]
