"""The `.keras` file: a whole model in one zip archive, in Keras 3's layout.

Unzip one and you find three files:

    metadata.json      which Keras format version wrote it, and when
    config.json        the architecture: `serialize_keras_object(model)` as JSON,
                       with `compile_config` if the model was compiled
    model.weights.h5   every variable, the optimizer's included (see `weights_file`)

Loading reverses the steps: rebuild the model from config.json (which also
compiles it again), then fill its variables in from model.weights.h5.
"""

import datetime
import io
import json
import zipfile
import zlib

import h5py

from minilib._version import __version__
from minilib.saving.weights_file import write_weights
from minilib.serialization.object_configs import serialize_keras_object

CONFIG_NAME = "config.json"
METADATA_NAME = "metadata.json"
WEIGHTS_NAME = "model.weights.h5"
# The Keras release whose file layout minilib follows; Keras reads files of other 3.x versions.
KERAS_FORMAT_VERSION = "3.15.1"


def write_archive(model, file):
    """Write `model` as a `.keras` zip archive into the open binary `file`."""
    metadata = {"keras_version": KERAS_FORMAT_VERSION, "minilib_version": __version__,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    # Stored without compression, as Keras does: weights barely compress.
    with zipfile.ZipFile(file, "w") as archive:
        archive.writestr(METADATA_NAME, json.dumps(metadata))
        archive.writestr(CONFIG_NAME, json.dumps(serialize_keras_object(model)))
        weights = io.BytesIO()
        with h5py.File(weights, "w") as h5_file:
            write_weights(model, h5_file)
        archive.writestr(WEIGHTS_NAME, weights.getvalue())


def read_archive(filepath):
    """The model config (a dict) and the weights file (bytes) stored in a `.keras` file."""
    try:
        archive = zipfile.ZipFile(filepath)
    except zipfile.BadZipFile:
        raise ValueError(f"'{filepath}' is not a valid .keras file: it is not a zip archive "
                         f"(it may be truncated or corrupt).") from None
    with archive:
        members = archive.namelist()
        for required in (CONFIG_NAME, WEIGHTS_NAME):
            if required not in members:
                raise ValueError(f"'{filepath}' is not a complete .keras file: it has no "
                                 f"{required} (it holds {members}).")
        try:
            config_bytes, weights = archive.read(CONFIG_NAME), archive.read(WEIGHTS_NAME)
        except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as error:
            raise ValueError(f"'{filepath}' is damaged: {error}.") from None
    try:
        config = json.loads(config_bytes)
    except ValueError as error:  # bad JSON or bad UTF-8
        raise ValueError(f"{CONFIG_NAME} in '{filepath}' is not valid JSON: {error}.") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"{CONFIG_NAME} in '{filepath}' does not describe a model: expected "
                         f"a dict with 'class_name' and 'config'.")
    return config, weights
