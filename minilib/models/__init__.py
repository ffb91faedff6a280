"""Models: Sequential, functional (`Model(inputs, outputs)`) and subclassed."""

from minilib.models.cloning import clone_model
from minilib.models.functional import Functional
from minilib.models.model import Model
from minilib.models.sequential import Sequential
from minilib.saving.model_json import model_from_json


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model saved with `model.save("name.keras")`."""
    from minilib.saving import load_model as load

    return load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json"]
