"""The real-Keras half of the preprocessing tests: `KERAS_BACKEND=torch python keras_side.py DIR`.

`DIR/cases.json` lists the calls (written by `test_preprocessing_vs_keras.py`),
`DIR/inputs.npz` the arrays they use; images and text folders are files in DIR.
This script runs every call with Keras and writes what it got:

- `DIR/keras.npz`: one array per case, named `<function><index>`;
- `DIR/keras.json`: Pillow modes, text file lists, and Keras's public names and
  signatures, for the test to compare.

It never imports minilib.
"""

import inspect
import json
import os
import sys
import warnings

import keras
import numpy as np
from keras.src.utils import dataset_utils, image_utils, text_dataset_utils


def signature(function):
    return [[name, repr(parameter.default)]
            for name, parameter in inspect.signature(function).parameters.items()
            if parameter.kind is not inspect.Parameter.VAR_KEYWORD]


def public_names(module):
    return sorted(name for name in dir(module) if not name.startswith("_"))


def text_index(folder, case):
    """What `text_dataset_from_directory` would hold, from Keras's own listing and split."""
    paths, labels, class_names = dataset_utils.index_directory(
        folder, case.get("labels", "inferred"), formats=(".txt",),
        class_names=case.get("class_names"), shuffle=case.get("shuffle", True),
        seed=case.get("seed"), verbose=False)
    paths, labels = dataset_utils.get_training_or_validation_split(
        paths, labels, case.get("validation_split"), case.get("subset"))
    texts = [text_dataset_utils._path_to_string_content_grain(path, case.get("max_length"))
             for path in paths]
    return {"paths": [os.path.relpath(path, folder) for path in paths],
            "labels": None if labels is None else [int(label) for label in labels],
            "class_names": class_names, "texts": texts}


def main(folder):
    with open(os.path.join(folder, "cases.json")) as file:
        cases = json.load(file)
    inputs = np.load(os.path.join(folder, "inputs.npz"))
    arrays, facts = {}, {"modes": {}, "text": []}

    def image_file(name):
        return os.path.join(folder, name)

    for i, (name, options) in enumerate(cases["load_img"]):
        image = image_utils.load_img(image_file(name), **options)
        arrays[f"load_img{i}"] = np.asarray(image)
        facts["modes"][f"load_img{i}"] = image.mode
    for i, (name, load_options, options) in enumerate(cases["img_to_array"]):
        arrays[f"img_to_array{i}"] = image_utils.img_to_array(
            image_utils.load_img(image_file(name), **load_options), **options)
    for i, (name, options) in enumerate(cases["array_to_img"]):
        image = image_utils.array_to_img(inputs[name], **options)
        arrays[f"array_to_img{i}"] = np.asarray(image)
        facts["modes"][f"array_to_img{i}"] = image.mode
    os.makedirs(os.path.join(folder, "keras_saved"), exist_ok=True)
    for name, file_name, options in cases["save_img"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # RGBA saved as JPEG warns
            image_utils.save_img(os.path.join(folder, "keras_saved", file_name), inputs[name],
                                 **options)
    for i, (name, options) in enumerate(cases["smart_resize"]):
        arrays[f"smart_resize{i}"] = image_utils.smart_resize(inputs[name], **options)
    for case in cases["text"]:
        facts["text"].append(text_index(os.path.join(folder, "texts"), case))

    facts["names"] = {"preprocessing": public_names(keras.preprocessing),
                      "image": public_names(keras.preprocessing.image),
                      "sequence": public_names(keras.preprocessing.sequence),
                      "utils": public_names(keras.utils)}
    facts["signatures"] = {
        name: signature(getattr(keras.preprocessing.image, name))
        for name in public_names(keras.preprocessing.image)}
    facts["signatures"]["text_dataset_from_directory"] = signature(
        keras.utils.text_dataset_from_directory)
    facts["signatures"]["TensorBoard"] = signature(keras.callbacks.TensorBoard)
    np.savez(os.path.join(folder, "keras.npz"), **arrays)
    with open(os.path.join(folder, "keras.json"), "w") as file:
        json.dump(facts, file)


if __name__ == "__main__":
    main(sys.argv[1])
