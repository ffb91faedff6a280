"""The image utilities, text_dataset_from_directory and the names, against real Keras 3.

The module fixture writes small images, arrays and a folder of texts, lists the
calls in `cases.json`, and runs `keras_side.py` once in a subprocess (Keras on
its torch backend). Each test makes the same calls with minilib and compares.
Pillow and torch's `interpolate` do the work on both sides, so results are equal
exactly (floats to 1e-6).
"""

import importlib.util
import inspect
import json
import os
import pathlib
import subprocess
import sys
import warnings

import numpy as np
import pytest
from PIL import Image

import minilib
from minilib.callbacks import TensorBoard
from minilib.preprocessing import image as image_utils
from minilib.utils import text_dataset_from_directory

pytestmark = [
    pytest.mark.slow,  # starting Keras takes seconds
    pytest.mark.skipif(importlib.util.find_spec("keras") is None,
                       reason="real Keras is not installed (pip install -e '.[bench]')"),
]

HERE = pathlib.Path(__file__).parent
INTERPOLATIONS = ["nearest", "bilinear", "bicubic", "hamming", "box", "lanczos"]
CASES = {
    "load_img": [
        *[(name, {}) for name in ("rgb.png", "rgba.png", "gray.png", "gray16.png",
                                  "palette.gif", "photo.jpg")],
        *[(name, {"color_mode": mode}) for name in ("rgb.png", "rgba.png", "gray.png",
                                                    "gray16.png", "palette.gif")
          for mode in ("grayscale", "rgb", "rgba")],
        *[("photo.jpg", {"target_size": [5, 8], "interpolation": method})
          for method in INTERPOLATIONS],
        *[("photo.jpg", {"target_size": size, "interpolation": "bilinear",
                         "keep_aspect_ratio": True}) for size in ([4, 4], [3, 9], [10, 3])],
        ("photo.jpg", {"target_size": [12, 20], "interpolation": "lanczos"}),
    ],
    "img_to_array": [
        ("rgb.png", {}, {}),
        ("rgb.png", {}, {"data_format": "channels_first"}),
        ("gray.png", {"color_mode": "grayscale"}, {}),
        ("gray.png", {"color_mode": "grayscale"}, {"data_format": "channels_first",
                                                   "dtype": "uint8"}),
        ("rgba.png", {"color_mode": "rgba"}, {"dtype": "float64"}),
        ("gray16.png", {"color_mode": "grayscale"}, {}),
    ],
    "array_to_img": [
        ("float_rgb", {}), ("float_gray", {}), ("rgba_in_range", {"scale": False}),
        ("chw", {"data_format": "channels_first"}), ("big_gray", {"scale": False}),
        ("constant", {}), ("float_rgb", {"dtype": "float64"}),
    ],
    "save_img": [
        ("float_rgb", "a.png", {}), ("rgba_in_range", "b.png", {"scale": False}),
        ("float_rgb", "c.jpg", {"quality": 90}), ("rgba_in_range", "d.jpg", {"scale": False}),
        ("chw", "e.bmp", {"data_format": "channels_first"}),
    ],
    "smart_resize": [
        ("batch", {"size": [6, 6]}),
        ("uint8_image", {"size": [5, 8], "interpolation": "nearest"}),
        ("uint8_image", {"size": [4, 4], "interpolation": "bicubic"}),
        ("chw_image", {"size": [4, 4], "data_format": "channels_first"}),
        ("tall", {"size": [12, 7]}),
        ("batch", {"size": [3, 20], "interpolation": "bicubic"}),
    ],
    "text": [
        {"shuffle": False},
        {"shuffle": True, "seed": 3},
        {"seed": 3, "validation_split": 0.3, "subset": "training"},
        {"seed": 3, "validation_split": 0.3, "subset": "validation"},
        {"shuffle": False, "class_names": ["pos", "neg"], "max_length": 5},
        {"labels": None, "shuffle": False},
        {"labels": [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1], "seed": 1},
    ],
}
TEXTS = {"neg/a.txt": "awful, just awful", "neg/b.txt": "café au lait was cold",
         "neg/c.TXT": "capital extension", "neg/notes.md": "not a text file",
         "neg/sub/d.txt": "nested one", "neg/sub b/e.txt": "a space sorts before a slash",
         "neg/sub/deep/f.txt": "deeper", "pos/g.txt": "great", "pos/h.txt": "lovely film",
         "pos/i.txt": "", "readme.txt": "at the top: only without inferred labels",
         ".cache/j.txt": "hidden folder"}


def write_inputs(folder):
    rng = np.random.RandomState(0)
    pixels = rng.randint(0, 256, size=(5, 7, 3)).astype("uint8")
    Image.fromarray(pixels).save(folder / "rgb.png")
    Image.fromarray(rng.randint(0, 256, size=(6, 4, 4)).astype("uint8")).save(folder / "rgba.png")
    Image.fromarray(pixels[..., 0]).save(folder / "gray.png")
    Image.fromarray(rng.randint(0, 60000, size=(4, 5)).astype("uint16")).save(
        folder / "gray16.png")
    Image.fromarray(pixels).quantize(8).save(folder / "palette.gif")
    Image.fromarray(rng.randint(0, 256, size=(12, 20, 3)).astype("uint8")).save(
        folder / "photo.jpg")
    np.savez(folder / "inputs.npz",
             float_rgb=rng.rand(5, 4, 3) * 3 - 1, float_gray=rng.rand(5, 4, 1),
             rgba_in_range=rng.randint(0, 256, size=(5, 4, 4)).astype("float32"),
             chw=rng.rand(3, 5, 4), big_gray=rng.randint(0, 1000, size=(4, 3, 1)),
             constant=np.zeros((3, 3, 3)),
             batch=rng.rand(2, 9, 14, 3).astype("float32"),
             uint8_image=rng.randint(0, 256, size=(9, 14, 3)).astype("uint8"),
             chw_image=rng.rand(3, 10, 7).astype("float32"),
             tall=rng.rand(7, 12, 1).astype("float32"))
    for name, text in TEXTS.items():
        path = folder / "texts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "cases.json").write_text(json.dumps(CASES))


@pytest.fixture(scope="module")
def keras_results(tmp_path_factory):
    """`(folder, arrays Keras computed, facts Keras wrote)`."""
    folder = tmp_path_factory.mktemp("preprocessing")
    write_inputs(folder)
    environment = {**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, str(HERE / "keras_side.py"), str(folder)],
                            cwd=HERE, env=environment, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"the Keras side failed:\n{result.stderr[-3000:]}"
    return folder, np.load(folder / "keras.npz"), json.loads((folder / "keras.json").read_text())


def test_load_img(keras_results):
    folder, arrays, facts = keras_results
    for i, (name, options) in enumerate(CASES["load_img"]):
        image = image_utils.load_img(folder / name, **options)
        assert image.mode == facts["modes"][f"load_img{i}"], (name, options)
        np.testing.assert_array_equal(np.asarray(image), arrays[f"load_img{i}"],
                                      err_msg=f"{name} {options}")


def test_img_to_array(keras_results):
    folder, arrays, _ = keras_results
    for i, (name, load_options, options) in enumerate(CASES["img_to_array"]):
        array = image_utils.img_to_array(image_utils.load_img(folder / name, **load_options),
                                         **options)
        expected = arrays[f"img_to_array{i}"]
        assert array.dtype == expected.dtype
        np.testing.assert_array_equal(array, expected, err_msg=f"{name} {options}")


def test_array_to_img(keras_results):
    folder, arrays, facts = keras_results
    inputs = np.load(folder / "inputs.npz")
    for i, (name, options) in enumerate(CASES["array_to_img"]):
        image = image_utils.array_to_img(inputs[name], **options)
        assert image.mode == facts["modes"][f"array_to_img{i}"], (name, options)
        np.testing.assert_array_equal(np.asarray(image), arrays[f"array_to_img{i}"])


def test_save_img_writes_the_same_bytes(keras_results):
    folder, _, _ = keras_results
    inputs = np.load(folder / "inputs.npz")
    (folder / "minilib_saved").mkdir()
    for name, file_name, options in CASES["save_img"]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            image_utils.save_img(folder / "minilib_saved" / file_name, inputs[name], **options)
        assert bool(caught) == (file_name == "d.jpg")  # only RGBA as JPEG warns
        assert (folder / "minilib_saved" / file_name).read_bytes() == \
            (folder / "keras_saved" / file_name).read_bytes(), file_name


def test_smart_resize(keras_results):
    folder, arrays, _ = keras_results
    inputs = np.load(folder / "inputs.npz")
    for i, (name, options) in enumerate(CASES["smart_resize"]):
        resized = image_utils.smart_resize(inputs[name], **options)
        expected = arrays[f"smart_resize{i}"]
        assert isinstance(resized, np.ndarray) and resized.dtype == expected.dtype
        np.testing.assert_allclose(resized, expected, rtol=1e-6, atol=1e-6,
                                   err_msg=f"{name} {options}")


def test_text_dataset_holds_the_files_keras_lists(keras_results):
    folder, _, facts = keras_results
    texts_folder = folder / "texts"
    for case, expected in zip(CASES["text"], facts["text"], strict=True):
        dataset = text_dataset_from_directory(texts_folder, batch_size=100, verbose=False,
                                              **case)
        assert [os.path.relpath(path, texts_folder) for path in dataset.file_paths] == \
            expected["paths"], case
        assert dataset.class_names == expected["class_names"]
        batch = dataset[0]
        texts, labels = batch if expected["labels"] is not None else (batch, None)
        assert texts.tolist() == expected["texts"]
        assert (None if labels is None else labels.tolist()) == expected["labels"]


def test_names_match_keras(keras_results):
    _, _, facts = keras_results
    names = facts["names"]
    assert sorted(minilib.preprocessing.__all__) == names["preprocessing"]
    assert sorted(minilib.preprocessing.image.__all__) == names["image"]
    assert sorted(minilib.preprocessing.sequence.__all__) == names["sequence"]
    wanted_in_utils = {"array_to_img", "img_to_array", "load_img", "save_img",
                       "text_dataset_from_directory", "image_dataset_from_directory",
                       "pad_sequences", "timeseries_dataset_from_array"}
    assert wanted_in_utils <= set(names["utils"])
    assert wanted_in_utils <= set(minilib.utils.__all__)


def test_signatures_match_keras(keras_results):
    _, _, facts = keras_results
    functions = {name: getattr(image_utils, name) for name in image_utils.__all__}
    functions["text_dataset_from_directory"] = text_dataset_from_directory
    functions["TensorBoard"] = TensorBoard
    for name, function in functions.items():
        ours = [[parameter, repr(value.default)]
                for parameter, value in inspect.signature(function).parameters.items()
                if value.kind is not inspect.Parameter.VAR_KEYWORD]
        assert ours == facts["signatures"][name], name
