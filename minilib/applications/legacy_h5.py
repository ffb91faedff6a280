"""Read the legacy (Keras 2) HDF5 weights layout, in which Keras publishes its pretrained models.

Keras 3's own weights files are organised by object path (see `minilib.saving`);
the older files that `keras.applications` still downloads look like this::

    attrs {"layer_names": ["input_1", "block1_conv1", ...]}   every layer, in model order
    block1_conv1                 attrs {"weight_names": ["block1_conv1/kernel:0",
                                                         "block1_conv1/bias:0"]}
    block1_conv1/kernel:0        array (3, 3, 3, 64)
    block1_conv1/bias:0          array (64,)

As Keras does, the layers that have weights are matched *by position*: the n-th
layer with weights in the file goes into the n-th layer with weights in the model,
whatever their names (files written by Keras 2 name unnamed layers `conv2d_3`
where today's model says `conv2d`). Each layer's arrays come in the order of
`weight_names`: trainable weights first (kernel, bias; gamma, beta), then the
others (moving_mean, moving_variance).

    >>> load_legacy_h5_weights(model, "vgg16_weights_tf_dim_ordering_tf_kernels.h5")
"""

import h5py
import numpy as np
import torch


def is_legacy_h5(path):
    """True when `path` is an HDF5 file in the legacy layout (not a Keras 3 weights file)."""
    if not h5py.is_hdf5(path):
        return False
    with h5py.File(path, "r") as h5_file:
        return _weights_group(h5_file) is not None


def load_legacy_h5_weights(model, path):
    """Copy the weights in the legacy file at `path` into `model`, layer by layer."""
    source = f"'{path}'"
    with h5py.File(path, "r") as h5_file:
        group = _weights_group(h5_file)
        if group is None:
            raise ValueError(f"{source} is not a legacy Keras weights file: it has no "
                             f"'layer_names' attribute.")
        saved_layers = [name for name in _names(group, "layer_names")
                        if _names(_child(group, name, source), "weight_names")]
        layers = [layer for layer in model.layers if _weights(layer)]
        if len(saved_layers) != len(layers):
            raise ValueError(f"{source} does not fit model '{model.name}': the model has "
                             f"{len(layers)} layers with weights, the file has "
                             f"{len(saved_layers)}.")
        arrays = []  # all read and checked before any is assigned: no half-loaded model
        for position, (layer, saved_name) in enumerate(zip(layers, saved_layers, strict=True)):
            layer_group = _child(group, saved_name, source)
            arrays.append([np.asarray(_child(layer_group, name, source))
                           for name in _names(layer_group, "weight_names")])
            _check(layer, arrays[-1], f"{source}, layer #{position} ('{saved_name}' in the "
                                      f"file, '{layer.name}' in model '{model.name}')")
    with torch.no_grad():
        for layer, layer_arrays in zip(layers, arrays, strict=True):
            for variable, array in zip(_weights(layer), layer_arrays, strict=True):
                variable.copy_(torch.as_tensor(array))


def _weights_group(h5_file):
    """Where the layers are: the file itself, or `model_weights` in a whole-model file."""
    if _names(h5_file, "layer_names"):
        return h5_file
    inner = h5_file.get("model_weights", getlink=True)
    if isinstance(inner, h5py.HardLink) and _names(h5_file["model_weights"], "layer_names"):
        return h5_file["model_weights"]
    return None


def _names(group, attribute):
    """A list-of-names attribute; long lists are split into `name0`, `name1`, ..."""
    if attribute in group.attrs:
        chunks = [group.attrs[attribute]]
    else:
        chunks, index = [], 0
        while f"{attribute}{index}" in group.attrs:
            chunks.append(group.attrs[f"{attribute}{index}"])
            index += 1
    return [name.decode("utf8") if isinstance(name, bytes) else str(name)
            for chunk in chunks for name in chunk]


def _child(group, path, source):
    """`group[path]`, following plain (hard) links only: a soft or external link could
    point anywhere, even into another file on this machine."""
    for part in path.split("/"):
        link = group.get(part, getlink=True)
        if not isinstance(link, h5py.HardLink):
            problem = "is missing" if link is None else "is a link; only plain entries are read"
            raise ValueError(f"{source}: '{path}' {problem}.")
        group = group[part]
    return group


def _weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _check(layer, arrays, where):
    variables = _weights(layer)
    if len(arrays) != len(variables):
        raise ValueError(f"{where}: the layer has {len(variables)} weights, the file has "
                         f"{len(arrays)}.")
    for variable, array in zip(variables, arrays, strict=True):
        if tuple(variable.shape) != array.shape:
            raise ValueError(f"{where}: weight '{getattr(variable, 'name', 'weight')}' has "
                             f"shape {tuple(variable.shape)}, the file has {array.shape}.")
