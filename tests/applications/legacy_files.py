"""Write weights files in the legacy layout of Keras's published weights, with h5py.

The layout is the one `keras.src.legacy.saving.legacy_h5_format` writes (the slow
tests check minilib against files that real Keras writes); this small writer lets
the fast tests make such files from minilib models.
"""

import h5py
import numpy as np


def write_legacy_weights(model, path, names_per_chunk=None):
    """Save `model`'s weights at `path`; `names_per_chunk` splits `layer_names` into
    attributes `layer_names0`, `layer_names1`, ... as Keras does for long lists."""
    with h5py.File(path, "w") as h5_file:
        names = [layer.name.encode() for layer in model.layers]
        if names_per_chunk is None:
            h5_file.attrs["layer_names"] = names
        else:
            for index, start in enumerate(range(0, len(names), names_per_chunk)):
                h5_file.attrs[f"layer_names{index}"] = names[start:start + names_per_chunk]
        for layer in model.layers:
            group = h5_file.create_group(layer.name)
            weights = list(layer.trainable_weights) + list(layer.non_trainable_weights)
            weight_names = [f"{layer.name}/weight_{i}:0".encode()
                            for i in range(len(weights))]
            group.attrs["weight_names"] = weight_names
            for name, weight in zip(weight_names, weights, strict=True):
                group[name.decode()] = np.asarray(weight.detach().cpu())
