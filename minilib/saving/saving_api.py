"""Saving and loading whole models (`.keras`) and weights only (`.weights.h5`).

    model.save("model.keras")                          # architecture + weights + optimizer
    model = minilib.models.load_model("model.keras")

    model.save_weights("checkpoint.weights.h5")        # weights (and optimizer state) only
    model.load_weights("checkpoint.weights.h5")        # into a model built the same way

Every save goes through `atomic_write`: an existing file is replaced only by a
complete new one, never left half-written.
"""

import io
import os

import h5py

from minilib.saving.atomic_write import atomic_write
from minilib.saving.keras_file import read_archive, write_archive
from minilib.saving.keras_only_options import drop_keras_only_options
from minilib.saving.serialization import deserialize_keras_object
from minilib.saving.weights_file import open_weights, read_weights, write_weights


def save_model(model, filepath, overwrite=True):
    """Save `model` (architecture, weights, compile settings, optimizer state) to `.keras`."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(f"Cannot save the model to '{filepath}': the file name must end in "
                         f"`.keras`. (For the weights alone, use "
                         f"model.save_weights('name.weights.h5').)")
    _check_overwrite(filepath, overwrite)
    with atomic_write(filepath) as file:
        write_archive(model, file)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model saved with `model.save("name.keras")`.

    Args:
        filepath: the `.keras` file.
        custom_objects: `{"Name": class_or_function}` for your own layers, models,
            losses... that are not registered with `register_keras_serializable`.
        compile: whether to compile the model again as it was when saved.
        safe_mode: accepted for Keras compatibility (minilib never runs code from files).
    """
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(f"Cannot load '{filepath}' as a model: the file name must end in "
                         f"`.keras`. (A `.weights.h5` file holds only weights: build the "
                         f"model, then call model.load_weights(...).)")
    _check_exists(filepath)
    config, weights = read_archive(filepath)
    if not compile:
        config = {key: value for key, value in config.items() if key != "compile_config"}
    config = drop_keras_only_options(config, f"'{filepath}'")
    try:
        model = deserialize_keras_object(config, custom_objects, safe_mode=safe_mode)
    except Exception as error:
        raise ValueError(f"Cannot rebuild the model saved in '{filepath}': {error}") from error
    source = f"model.weights.h5 in '{filepath}'"
    with open_weights(io.BytesIO(weights), source) as h5_file:
        read_weights(model, h5_file, source)
    return model


def save_weights(model, filepath, overwrite=True):
    """Save every variable of `model` (optimizer included) to a `.weights.h5` file."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError(f"Cannot save weights to '{filepath}': the file name must end in "
                         f"`.weights.h5`. (To save the whole model, use model.save('name.keras').)")
    _check_built(model, "save its weights")
    _check_overwrite(filepath, overwrite)
    with atomic_write(filepath) as file, h5py.File(file, "w") as h5_file:
        write_weights(model, h5_file)


def load_weights(model, filepath, skip_mismatch=False):
    """Load weights from a `.weights.h5` file (or the weights in a `.keras` file) into `model`.

    The model must have the same layers, with weights of the same shapes, as the
    one that was saved; otherwise the error names the first layer that differs.
    With `skip_mismatch=True` such layers are skipped with a warning instead.
    """
    filepath = os.fspath(filepath)
    _check_built(model, "load weights into it")
    _check_exists(filepath)
    if filepath.endswith(".keras"):
        _, weights = read_archive(filepath)
        file, source = io.BytesIO(weights), f"model.weights.h5 in '{filepath}'"
    elif filepath.endswith(".h5"):
        file, source = filepath, f"'{filepath}'"
    else:
        raise ValueError(f"Cannot load weights from '{filepath}': expected a `.weights.h5` or "
                         f"`.keras` file.")
    with open_weights(file, source) as h5_file:
        read_weights(model, h5_file, source, skip_mismatch=skip_mismatch)


def _check_overwrite(filepath, overwrite):
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"'{filepath}' already exists; pass overwrite=True to replace it.")


def _check_exists(filepath):
    if not os.path.isfile(filepath):
        raise FileNotFoundError(f"No such file: '{filepath}'.")


def _check_built(model, action):
    if not model.built:
        raise ValueError(f"Model '{model.name}' has no weights yet, so cannot {action}. Build "
                         f"it first: call it on a batch of data, or call "
                         f"model.build(input_shape).")
