"""The real-Keras half of the application tests.

Run as `KERAS_BACKEND=torch python keras_side.py TASK DIR`.

TASK `architectures` writes `DIR/architectures.json`: for every full model in `cases`,
its name, input and output shapes, and each layer's name, class and parameter count.

TASK `small` writes `DIR/small.json` (the same for the small models, plus the exception
each bad argument raises and what `decode_predictions` returns) and, for every model in
`cases.LOADED_MODELS`, a weights file in the legacy layout of Keras's published files,
under the published name, in `DIR/served/`, with Keras's predictions in `DIR/<case>.npz`
and, in `small.json`, what Keras asked `get_file` for.
`DIR/preprocessed.npz` holds each module's `preprocess_input` of the same images.
This script never imports minilib.
"""

import importlib
import json
import sys
from functools import partial

import cases
import h5py
import keras
import numpy as np
from keras.src.legacy.saving import legacy_h5_format
from keras.src.utils import file_utils


def build(function_name, kwargs):
    keras.utils.clear_session()
    keras.utils.set_random_seed(0)
    return getattr(keras.applications, function_name)(**kwargs)


def architectures(folder, models):
    return {case: cases.describe(build(function, kwargs)) for case, function, kwargs in models}


def randomize_statistics(model, generator):
    """Give BatchNormalization and Normalization weights values that a wrong load would show."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            size = layer.gamma.shape
            layer.gamma.assign(generator.uniform(0.5, 1.5, size))
            layer.beta.assign(generator.normal(0, 0.1, size))
            layer.moving_mean.assign(generator.normal(0, 0.1, size))
            layer.moving_variance.assign(generator.uniform(0.5, 1.5, size))
        elif isinstance(layer, keras.layers.Normalization):
            layer.adapt_mean.assign([0.485, 0.456, 0.406])
            layer.adapt_variance.assign([0.229, 0.224, 0.225])


def write_weights_and_predictions(folder):
    served = folder / "served"
    served.mkdir()
    generator = np.random.default_rng(0)
    requests = {}
    for case, function, module, kwargs, file_name in cases.LOADED_MODELS:
        model = build(function, {"weights": None, **kwargs})
        randomize_statistics(model, generator)
        with h5py.File(served / file_name, "w") as h5_file:
            legacy_h5_format.save_weights_to_hdf5_group(h5_file, model)
        # Keras's own "imagenet" path, with the download replaced by the file just written.
        downloads = []
        file_utils.get_file = partial(_fake_download, downloads, served / file_name)
        model = build(function, {"weights": "imagenet", **kwargs})
        height, width, _ = kwargs["input_shape"]
        preprocess = importlib.import_module(f"keras.applications.{module}").preprocess_input
        inputs = preprocess(cases.images(height, width))
        outputs = keras.ops.convert_to_numpy(model(inputs, training=False))
        np.savez(folder / f"{case}.npz", outputs=outputs, model_name=model.name)
        requests[case] = downloads
    return requests


def _fake_download(calls, path, fname=None, origin=None, cache_subdir="datasets",
                   file_hash=None, **kwargs):
    """Note what Keras asks `get_file` for, and hand it the local file instead."""
    calls.append({"fname": fname, "origin": origin, "cache_subdir": cache_subdir,
                  "file_hash": file_hash})
    return str(path)


def preprocessed():
    arrays = {}
    images = cases.images(4, 5)
    for module in cases.PREPROCESSING_MODULES:
        preprocess = importlib.import_module(f"keras.applications.{module}").preprocess_input
        arrays[f"{module}"] = preprocess(images.copy())
        arrays[f"{module}_uint8"] = preprocess(images.astype("uint8"))
        arrays[f"{module}_one_image"] = preprocess(images[0].copy())
        arrays[f"{module}_channels_first"] = preprocess(
            images.transpose(0, 3, 1, 2).copy(), data_format="channels_first")
    for mode in ("caffe", "tf", "torch"):
        arrays[f"mode_{mode}"] = keras.applications.imagenet_utils.preprocess_input(
            images.copy(), mode=mode)
        arrays[f"mode_{mode}_tensor"] = keras.ops.convert_to_numpy(
            keras.applications.imagenet_utils.preprocess_input(
                keras.ops.convert_to_tensor(images.copy()), mode=mode))
    return arrays


def refusals():
    found = []
    for function, kwargs in cases.BAD_ARGUMENTS:
        try:
            build(function, kwargs)
            found.append(None)
        except Exception as error:  # noqa: BLE001 - the type is what we record
            found.append(type(error).__name__)
    return found


def decoded(folder):
    """Keras's top 3 for random predictions, with a stand-in class list; and its download."""
    path = folder / "imagenet_class_index.json"
    path.write_text(json.dumps(cases.class_index()))
    downloads = []
    file_utils.get_file = partial(_fake_download, downloads, path)
    predictions = np.random.default_rng(1).random((2, 1000)).astype("float32")
    np.save(folder / "decode_input.npy", predictions)
    top = [[[label, name, float(score)] for label, name, score in row]
           for row in keras.applications.vgg16.decode_predictions(predictions, top=3)]
    return top, downloads


def main(task, folder):
    import pathlib

    folder = pathlib.Path(folder)
    if task == "architectures":
        (folder / "architectures.json").write_text(
            json.dumps(architectures(folder, cases.FULL_MODELS)))
        return
    report = {"models": architectures(folder, cases.SMALL_MODELS), "refusals": refusals()}
    np.savez(folder / "preprocessed.npz", **preprocessed())
    report["downloads"] = write_weights_and_predictions(folder)
    report["decoded"], report["class_index_download"] = decoded(folder)
    (folder / "small.json").write_text(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
