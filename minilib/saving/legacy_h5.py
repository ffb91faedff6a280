"""The legacy `.h5` model file: what `model.save("model.h5")` writes in Keras 3.

It is Keras 2's format, kept so that old files still load. One HDF5 file holds::

    attrs: keras_version, backend     who wrote it
           model_config               the architecture, JSON (see `legacy_h5_config`)
           training_config            compile settings and optimizer, JSON (if compiled)
    model_weights/                    attrs: layer_names, in the model's layer order
        dense/                        attrs: weight_names = ["dense/kernel", "dense/bias"]
            dense/kernel, dense/bias  one array per weight, trainable ones first
        top_level_model_weights/      the model's own weights (none for Sequential/functional)
    optimizer_weights/                attrs: weight_names; the optimizer's variables

Weights are matched by *position*, as Keras does: the n-th layer that has weights
takes the n-th group in `layer_names` that has weights. Names only label them.
Prefer `.keras` files: they record each weight's place in the model.
"""

import json

import h5py
import numpy as np
import torch

from minilib.saving.legacy_h5_config import (
    compile_arguments,
    keras3_model_config,
    legacy_model_config,
    legacy_training_config,
)
from minilib.saving.weights_file import read_optimizer_variables
from minilib.serialization.object_configs import deserialize_keras_object

# An HDF5 attribute must fit in an object header of 64 KiB; longer name lists
# are split over `layer_names0`, `layer_names1`, ... as Keras does.
_ATTRIBUTE_LIMIT = 64512
# The Keras release whose legacy writer minilib follows.
KERAS_FORMAT_VERSION = "3.15.1"


def write_legacy_model(model, h5_file):
    """Write `model` (architecture, weights, compile settings, optimizer) into `h5_file`."""
    h5_file.attrs["keras_version"] = KERAS_FORMAT_VERSION
    h5_file.attrs["backend"] = "torch"
    h5_file.attrs["model_config"] = json.dumps(legacy_model_config(model)).encode("utf8")
    if model.compiled:
        h5_file.attrs["training_config"] = \
            json.dumps(legacy_training_config(model)).encode("utf8")
    group = h5_file.create_group("model_weights")
    _write_names(group, "layer_names", [layer.name for layer in model.layers])
    group.attrs["backend"] = b"torch"
    group.attrs["keras_version"] = KERAS_FORMAT_VERSION.encode("utf8")
    for layer in model.layers:
        _write_arrays(group.create_group(layer.name), _legacy_order(layer))
    _write_arrays(group.create_group("top_level_model_weights"), [])
    if model.compiled and model.optimizer.variables:
        _write_arrays(h5_file.create_group("optimizer_weights"), model.optimizer.variables)


def read_legacy_model(h5_file, source, custom_objects=None, compile=True):
    """Rebuild the model stored in the open legacy `h5_file` (described as `source`)."""
    model_config = _json_attribute(h5_file, "model_config", source)
    if model_config is None:
        raise ValueError(f"{source} is an HDF5 file but holds no model: it has no "
                         f"'model_config' attribute. (A weights file is loaded with "
                         f"model.load_weights(...) into a model you build.)")
    config = keras3_model_config(model_config, custom_objects, source)
    try:
        model = deserialize_keras_object(config, custom_objects)
    except Exception as error:
        raise ValueError(f"Cannot rebuild the model saved in {source}: {error}") from error
    read_legacy_weights(model, h5_file, source)
    training_config = _json_attribute(h5_file, "training_config", source)
    if compile and training_config is not None:
        model.compile(**compile_arguments(training_config, custom_objects, source))
        if "optimizer_weights" in h5_file:
            group = _child(h5_file, "optimizer_weights", source)
            read_optimizer_variables(model.optimizer, model, _read_arrays(group, source),
                                     source)
    return model


def read_legacy_weights(model, h5_file, source):
    """Load the weights in a legacy file (a whole model, or Keras 2 weights) into `model`."""
    group = _child(h5_file, "model_weights", source) if "model_weights" in h5_file else h5_file
    if "layer_names" not in group.attrs and "layer_names0" not in group.attrs:
        raise ValueError(f"{source} is a legacy (Keras 2 layout) HDF5 file, but its weights "
                         f"group lists no 'layer_names'; it is not a complete model file.")
    saved = [(name, arrays) for name in _read_names(group, "layer_names")
             if (arrays := _read_arrays(_child(group, name, source), source))]
    layers = [layer for layer in model.layers if _legacy_order(layer)]
    if len(saved) != len(layers):
        raise ValueError(
            f"{source} does not fit model '{model.name}': the file has weights for "
            f"{len(saved)} layer(s) ({', '.join(name for name, _ in saved) or 'none'}), "
            f"the model has {len(layers)} layer(s) with weights "
            f"({', '.join(layer.name for layer in layers) or 'none'}).")
    pairs = list(zip(layers, saved, strict=True))
    for position, (layer, (name, arrays)) in enumerate(pairs):  # all checked, then assigned:
        _check_shapes(layer, arrays, f"{source}, layer #{position} ('{name}' in the file, "
                                     f"'{layer.name}' in model '{model.name}')")
    with torch.no_grad():  # so a file that does not fit never leaves a half-loaded model
        for layer, (_, arrays) in pairs:
            for variable, array in zip(_legacy_order(layer), arrays, strict=True):
                variable.copy_(torch.as_tensor(array))


def is_legacy_file(h5_file):
    """Whether the open HDF5 file is in the legacy layout (a whole model, or Keras 2 weights)."""
    return "model_weights" in h5_file or any(key in h5_file.attrs
                                             for key in ("layer_names", "layer_names0"))


def _legacy_order(layer):
    """A layer's weights as legacy files list them: trainable first, then the others."""
    return layer.trainable_weights + layer.non_trainable_weights


def _write_arrays(group, variables):
    names, taken = [], set()
    for variable in variables:
        name = getattr(variable, "path", None) or variable.name
        unique, suffix = name, 0
        while unique in taken:  # two weights with one path would overwrite each other
            suffix += 1
            unique = f"{name}_{suffix}"
        taken.add(unique)
        names.append(unique)
    _write_names(group, "weight_names", names)
    for name, variable in zip(names, variables, strict=True):
        value = variable.detach()
        if value.dtype == torch.bfloat16:  # NumPy has no bfloat16; float32 holds it exactly
            value = value.float()
        group.create_dataset(name, data=value.cpu().numpy())


def _write_names(group, key, names):
    encoded = np.array([name.encode("utf8") for name in names]) if names else np.array([])
    chunks = [encoded]
    while any(chunk.nbytes > _ATTRIBUTE_LIMIT for chunk in chunks):
        chunks = np.array_split(encoded, len(chunks) + 1)
    if len(chunks) == 1:
        group.attrs[key] = encoded
        return
    for index, chunk in enumerate(chunks):
        group.attrs[f"{key}{index}"] = chunk


def _read_names(group, key):
    if key in group.attrs:
        stored = list(group.attrs[key])
    else:
        stored, index = [], 0
        while f"{key}{index}" in group.attrs:
            stored += list(group.attrs[f"{key}{index}"])
            index += 1
    return [name.decode("utf8") if isinstance(name, bytes) else str(name) for name in stored]


def _read_arrays(group, source):
    arrays = []
    for name in _read_names(group, "weight_names"):
        dataset = _child(group, name, source)
        if not isinstance(dataset, h5py.Dataset):
            raise ValueError(f"{source}: '{dataset.name}' should be an array.")
        arrays.append(np.asarray(dataset))
    return arrays


def _child(group, path, source):
    """`group[path]`, following plain (hard) links only: a soft or external link
    could point anywhere, even into another file on this machine."""
    for part in path.split("/"):
        link = group.get(part, getlink=True) if isinstance(group, h5py.Group) else None
        if link is None:
            raise ValueError(f"{source}: '{path}' is missing from group '{group.name}'; the "
                             f"file may be truncated or not a model file.")
        if not isinstance(link, h5py.HardLink):
            raise ValueError(f"{source}: '{path}' is a link; minilib reads only plain groups "
                             f"and arrays.")
        group = group[part]
    return group


def _check_shapes(layer, arrays, where):
    variables = _legacy_order(layer)
    if len(variables) != len(arrays):
        raise ValueError(f"{where}: the layer has {len(variables)} weight(s), the file has "
                         f"{len(arrays)}.")
    for variable, array in zip(variables, arrays, strict=True):
        if tuple(variable.shape) != array.shape:
            raise ValueError(f"{where}: weight '{variable.path}' has shape "
                             f"{tuple(variable.shape)}, the file has {array.shape}.")


def _json_attribute(h5_file, key, source):
    value = h5_file.attrs.get(key)
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf8")
    try:
        return json.loads(value)
    except ValueError as error:
        raise ValueError(f"{source}: the '{key}' attribute is not valid JSON ({error}).") \
            from None
