"""The weights file: every variable of a model in one HDF5 file, in Keras 3's layout.

HDF5 stores named arrays in a tree of groups, like files in folders; `h5py`
reads and writes it. `model.save_weights("x.weights.h5")` writes such a file,
and a `.keras` file holds the same tree as its member `model.weights.h5`::

    vars                    attrs {"name": "sequential"}
    layers/dense/vars       attrs {"name": "dense"}
    layers/dense/vars/0     array (784, 64): the kernel
    layers/dense/vars/1     array (64,): the bias
    optimizer/vars/0 ...    the optimizer's variables

`weights_layout` decides the paths. Reading checks that the file fits the
model: each layer must find its group, with as many arrays as it has weights
and of the same shapes, and no group with arrays may be left over. Otherwise
the error names the layer and says what differs.
"""

import warnings

import h5py
import numpy as np
import torch

from minilib.optimizers.optimizer import Optimizer
from minilib.saving.weights_layout import objects_by_path, own_variables


def write_weights(model, h5_file):
    """Store every variable of `model` (and of its optimizer) in the open `h5_file`."""
    for path, obj in objects_by_path(model):
        group = h5_file.create_group(_vars_path(path))
        group.attrs["name"] = obj.name
        for index, variable in enumerate(own_variables(obj)):
            value = variable.detach()
            if value.dtype == torch.bfloat16:  # NumPy has no bfloat16; float32 holds it exactly
                value = value.float()
            group[str(index)] = value.cpu().numpy()


def read_weights(model, h5_file, source, skip_mismatch=False):
    """Load the variables in the open `h5_file` (described as `source` in errors) into `model`.

    With `skip_mismatch=True`, a layer whose weights do not fit is left as it
    is, with a warning, instead of raising an error.
    """
    _check_layout(h5_file, source)
    read = set()
    for path, obj in objects_by_path(model):
        read.add(_vars_path(path))
        saved = _saved_arrays(h5_file, _vars_path(path), source)
        if isinstance(obj, Optimizer):
            read_optimizer_variables(obj, model, saved, source)
            continue
        variables = own_variables(obj)
        problem = _mismatch(variables, saved, path)
        if problem is not None and not obj.built:
            problem += " (The layer is not built yet, so it has no weights.)"
        if problem is None:
            _assign(variables, saved)
        elif skip_mismatch:
            warnings.warn(f"{source}: skipped layer '{obj.name}': {problem}", stacklevel=3)
        else:
            raise ValueError(f"{source} does not fit model '{model.name}': layer '{obj.name}' "
                             f"{problem}")
    leftover = [path for path in _paths_with_arrays(h5_file)
                if path not in read and not path.startswith("optimizer/")]
    if leftover:
        message = (f"{source} holds weights that no layer of model '{model.name}' takes: "
                   f"{', '.join(leftover)}. Was it saved from a bigger model?")
        if not skip_mismatch:
            raise ValueError(message)
        warnings.warn(message, stacklevel=3)


def open_weights(file, source):
    """Open `file` (a path or a binary file object) as an HDF5 file for reading."""
    try:
        return h5py.File(file, "r")
    except OSError as error:
        raise ValueError(f"{source} is not a readable HDF5 file; it may be truncated or "
                         f"corrupt ({error}).") from None


def _vars_path(path):
    return f"{path}/vars" if path else "vars"


def _check_layout(h5_file, source):
    if "vars" in h5_file or "layers" in h5_file:
        return
    raise ValueError(f"{source} is an HDF5 file but not a Keras 3 weights file: it has no "
                     f"'vars' or 'layers' group (top-level entries: {sorted(h5_file)}).")


def _saved_arrays(h5_file, group_path, source):
    """The arrays `0, 1, 2, ...` in the group at `group_path` (none if it is missing)."""
    group = h5_file
    for part in group_path.split("/"):
        # Only plain (hard) links: a soft or external link could point anywhere,
        # even into another file on this machine.
        link = group.get(part, getlink=True) if isinstance(group, h5py.Group) else None
        if link is None:
            return []
        if not isinstance(link, h5py.HardLink):
            raise ValueError(f"{source}: '{group_path}' is a link; minilib reads only plain "
                             f"groups and arrays.")
        group = group[part]
    if not isinstance(group, h5py.Group):
        raise ValueError(f"{source}: '{group_path}' should be a group of arrays.")
    expected_names = [str(index) for index in range(len(group))]
    if sorted(group, key=_numeric) != expected_names:
        raise ValueError(f"{source}: the arrays in '{group_path}' should be named "
                         f"0, 1, 2, ..., found {sorted(group)}.")
    try:
        return [np.asarray(group[name]) for name in expected_names]
    except (OSError, TypeError) as error:
        raise ValueError(f"{source}: cannot read the arrays in '{group_path}' ({error}); "
                         f"the file may be truncated or corrupt.") from None


def _numeric(name):
    return int(name) if name.isdigit() else -1


def _mismatch(variables, saved, path):
    """What keeps `saved` from fitting `variables`, as words, or None if they fit."""
    if len(variables) != len(saved):
        wanted = ", ".join(f"{_short_name(v)} {tuple(v.shape)}" for v in variables) or "none"
        found = ", ".join(str(array.shape) for array in saved) or "none"
        return (f"has {len(variables)} weight(s) ({wanted}) but the file has {len(saved)} "
                f"at '{_vars_path(path)}' ({found}).")
    for variable, array in zip(variables, saved, strict=True):
        if tuple(variable.shape) != array.shape:
            return (f"has weight '{_short_name(variable)}' of shape {tuple(variable.shape)}, "
                    f"but the file has shape {array.shape} for it at '{_vars_path(path)}'.")
    return None


def _short_name(variable):
    return getattr(variable, "name", None) or "weight"


def read_optimizer_variables(optimizer, model, saved, source):
    """Load the optimizer's state (the arrays `saved`), if the file has it.

    An optimizer creates its slot variables (Adam's moving averages) on the
    first training step. If the file has them and ours does not yet, we create
    them now, so that training continues exactly where the saved run stopped.
    """
    if not saved:
        return
    if not optimizer.built and len(saved) > len(optimizer.variables):
        optimizer.build(model.trainable_weights)
    problem = _mismatch(optimizer.variables, saved, "optimizer")
    if problem is not None:
        # As in Keras: optimizer state is not part of the model, so a mismatch only warns.
        warnings.warn(f"{source}: optimizer state not loaded: optimizer '{optimizer.name}' "
                      f"{problem}", stacklevel=4)
        return
    _assign(optimizer.variables, saved)


def _assign(variables, arrays):
    with torch.no_grad():
        for variable, array in zip(variables, arrays, strict=True):
            variable.copy_(torch.as_tensor(array))


def _paths_with_arrays(h5_file):
    """Every group in the file that directly holds arrays."""
    paths = set()

    def note(name, item):
        if isinstance(item, h5py.Dataset):
            paths.add(name.rpartition("/")[0])

    h5_file.visititems(note)
    return sorted(paths)
