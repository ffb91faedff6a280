"""Saving and loading whole models (`.keras`) and weights only (`.weights.h5`).

    model.save("model.keras")                          # architecture + weights + optimizer
    model = minilib.models.load_model("model.keras")

    model.save_weights("checkpoint.weights.h5")        # weights (and optimizer state) only
    model.load_weights("checkpoint.weights.h5")        # into a model built the same way

    model.save("model.h5")                             # the legacy format, as in Keras 3
    model = minilib.models.load_model("model.h5")      # (see `legacy_h5`)

Every save goes through `atomic_write`: an existing file is replaced only by a
complete new one, never left half-written.
"""

import io
import os
import warnings

import h5py

from minilib.saving.atomic_write import atomic_write
from minilib.saving.keras_file import read_archive, write_archive
from minilib.saving.legacy_h5 import (
    is_legacy_file,
    read_legacy_model,
    read_legacy_weights,
    write_legacy_model,
)
from minilib.saving.weights_file import open_weights, read_weights, write_weights
from minilib.serialization.keras_only_options import drop_keras_only_options
from minilib.serialization.object_configs import deserialize_keras_object


def save_model(model, filepath, overwrite=True):
    """Save `model` (architecture, weights, compile settings, optimizer state).

    A `.keras` path gives Keras 3's format. A `.h5` (or `.hdf5`) path gives the
    legacy HDF5 format that Keras 3 also still writes, with a warning; it is
    kept for old tools, `.keras` is better (see `legacy_h5`).

    Args:
        model: the model to save.
        filepath: where to write it, ending in `.keras` (or `.h5`).
        overwrite: whether an existing file may be replaced.

    Example: `model.save(path)` does the same.

    >>> import os, tempfile
    >>> model = minilib.Sequential([minilib.Input((3,)), minilib.layers.Dense(2)])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "model.keras")
    ...     minilib.saving.save_model(model, path)
    ...     os.path.getsize(path) > 0
    True
    """
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        _check_overwrite(filepath, overwrite)
        with atomic_write(filepath) as file:
            write_archive(model, file)
    elif _is_legacy_path(filepath):
        warnings.warn(f"Saving model '{model.name}' to '{filepath}' in the legacy HDF5 format. "
                      f"Prefer the Keras format: model.save('name.keras').", stacklevel=3)
        _check_overwrite(filepath, overwrite)
        with atomic_write(filepath) as file, h5py.File(file, "w") as h5_file:
            write_legacy_model(model, h5_file)
    else:
        raise ValueError(f"Cannot save the model to '{filepath}': the file name must end in "
                         f"`.keras` (or `.h5` for the legacy format). (For the weights "
                         f"alone, use model.save_weights('name.weights.h5').)")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model saved with `model.save("name.keras")` (or `"name.h5"`), by minilib or Keras.

    Args:
        filepath: the `.keras` file, or a legacy `.h5` model file.
        custom_objects: `{"Name": class_or_function}` for your own layers, models,
            losses... that are not registered with `register_keras_serializable`.
        compile: whether to compile the model again as it was when saved.
        safe_mode: accepted for Keras compatibility (minilib never runs code from files).

    Returns:
        The model, with the weights (and, compiled, the optimizer state) it was saved with.

    Example: the loaded model computes what the saved one did.

    >>> import os, tempfile
    >>> model = minilib.Sequential([minilib.Input((3,)), minilib.layers.Dense(2)])
    >>> x = np.ones((1, 3))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     model.save(os.path.join(folder, "model.keras"))
    ...     loaded = minilib.saving.load_model(os.path.join(folder, "model.keras"))
    >>> np.allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    True
    """
    filepath = os.fspath(filepath)
    if not (filepath.endswith(".keras") or _is_legacy_path(filepath)):
        raise ValueError(f"Cannot load '{filepath}' as a model: the file name must end in "
                         f"`.keras` (or `.h5` for the legacy format). (A `.weights.h5` file "
                         f"holds only weights: build the model, then call "
                         f"model.load_weights(...).)")
    _check_exists(filepath)
    if _is_legacy_path(filepath):
        with open_weights(filepath, f"'{filepath}'") as h5_file:
            return read_legacy_model(h5_file, f"'{filepath}'", custom_objects, compile)
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
    """Save every variable of `model` (optimizer included) to a `.weights.h5` file.

    The file holds no architecture: to load it, build the same model again in code.
    `model.save_weights(path)` does the same.

    >>> import os, tempfile
    >>> model = minilib.Sequential([minilib.Input((3,)), minilib.layers.Dense(2)])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     minilib.saving.save_weights(model, os.path.join(folder, "model.weights.h5"))
    ...     os.listdir(folder)
    ['model.weights.h5']
    """
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError(f"Cannot save weights to '{filepath}': the file name must end in "
                         f"`.weights.h5`. (To save the whole model, use model.save('name.keras').)")
    _check_built(model, "save its weights")
    _check_overwrite(filepath, overwrite)
    with atomic_write(filepath) as file, h5py.File(file, "w") as h5_file:
        write_weights(model, h5_file)


def load_weights(model, filepath, skip_mismatch=False):
    """Load weights from a `.weights.h5` file (or from a `.keras` or legacy `.h5` model file).

    The model must have the same layers, with weights of the same shapes, as the
    one that was saved; otherwise the error names the first layer that differs.
    With `skip_mismatch=True` such layers are skipped with a warning instead.
    `model.load_weights(path)` does the same.

    Example: a second model, built the same way, takes the first one's weights.

    >>> import os, tempfile
    >>> def small_model():
    ...     return minilib.Sequential([minilib.Input((3,)), minilib.layers.Dense(2)])
    >>> trained, fresh = small_model(), small_model()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "trained.weights.h5")
    ...     trained.save_weights(path)
    ...     minilib.saving.load_weights(fresh, path)
    >>> torch.equal(fresh.layers[0].kernel, trained.layers[0].kernel)
    True
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
        if is_legacy_file(h5_file):
            if skip_mismatch:
                raise ValueError(f"{source}: skip_mismatch=True works only with Keras 3 "
                                 f"weights files, and this is a legacy HDF5 file.")
            read_legacy_weights(model, h5_file, source)
        else:
            read_weights(model, h5_file, source, skip_mismatch=skip_mismatch)


def _is_legacy_path(filepath):
    """`.h5` or `.hdf5`, but not `.weights.h5`, which holds weights only."""
    return filepath.endswith((".h5", ".hdf5")) and not filepath.endswith(".weights.h5")


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
