"""`weights="imagenet"`: Keras's published files, from Keras's addresses, in Keras's legacy layout.

The slow tests serve, from 127.0.0.1, weights files that real Keras wrote for each
architecture under the published names, and check that minilib asks for the same
file, address and hash as Keras, and then predicts what Keras predicts with them.
The fast tests make such files from minilib models with `legacy_files`.
"""

import importlib

import h5py
import numpy as np
import pytest

import minilib
from minilib import applications
from tests.applications import cases
from tests.applications.legacy_files import write_legacy_weights

MOBILENET = {"alpha": 0.35, "include_top": False, "input_shape": (32, 32, 3)}
MOBILENET_FILE = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5"


@pytest.mark.slow
@pytest.mark.parametrize(("case", "function_name", "module", "kwargs", "file_name"),
                         cases.LOADED_MODELS, ids=[case[0] for case in cases.LOADED_MODELS])
def test_imagenet_weights_predict_as_in_keras(keras_small, storage, case, function_name, module,
                                              kwargs, file_name):
    folder, report = keras_small
    storage.serve(folder / "served")
    minilib.utils.clear_session()
    model = getattr(applications, function_name)(weights="imagenet", **kwargs)
    assert storage.requests == report["downloads"][case]  # Keras's name, address and hash
    assert (storage.keras_home / "models" / file_name).is_file()
    height, width, _ = kwargs["input_shape"]
    preprocess = importlib.import_module(f"minilib.applications.{module}").preprocess_input
    predictions = model.predict(preprocess(cases.images(height, width)), verbose=0)
    expected = np.load(folder / f"{case}.npz")
    assert model.name == str(expected["model_name"])
    np.testing.assert_allclose(predictions, expected["outputs"], rtol=1e-4,
                               atol=1e-5 * np.abs(expected["outputs"]).max())


@pytest.fixture(scope="module")
def mobilenet_source():
    """A MobileNetV2 with random weights, and its statistics moved off their initial values."""
    model = applications.MobileNetV2(weights=None, **MOBILENET)
    generator = np.random.default_rng(0)
    model.set_weights([w + generator.normal(0, 0.1, w.shape).astype(w.dtype) ** 2
                       for w in model.get_weights()])
    return model


def predict(model, size=32):
    return model.predict(cases.images(size, size), verbose=0)


@pytest.mark.slow  # about 1 s of CPU, several seconds on a busy machine
def test_imagenet_weights_download_once_into_keras_cache(mobilenet_source, storage, tmp_path):
    write_legacy_weights(mobilenet_source, tmp_path / MOBILENET_FILE)
    storage.serve(tmp_path)
    with pytest.warns(UserWarning, match="loading the weights trained on 224x224"):
        model = applications.MobileNetV2(weights="imagenet", **MOBILENET)
    np.testing.assert_allclose(predict(model), predict(mobilenet_source), rtol=1e-6)
    assert model.name == "mobilenetv2_0.35_224"  # the weights' size, as Keras names it
    with pytest.warns(UserWarning):
        applications.MobileNetV2(weights="imagenet", **MOBILENET)
    assert storage.served == [f"/{MOBILENET_FILE}"]  # the second model used the cache
    assert (storage.keras_home / "models" / MOBILENET_FILE).is_file()


def test_a_download_that_does_not_match_keras_hash_is_refused(storage, tmp_path):
    (tmp_path / "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5").write_bytes(b"not it")
    storage.keep_hashes = True
    storage.serve(tmp_path)
    with pytest.raises(ValueError, match="corrupted or changed.*6d6bbae143d832006294945121d1f1fc"):
        applications.VGG16(include_top=False, input_shape=(32, 32, 3))


@pytest.mark.slow  # about 1 s of CPU, several seconds on a busy machine
def test_weights_from_a_legacy_file_path(mobilenet_source, tmp_path):
    write_legacy_weights(mobilenet_source, tmp_path / "mine.h5", names_per_chunk=50)
    with h5py.File(tmp_path / "mine.h5") as h5_file:
        assert "layer_names" not in h5_file.attrs and "layer_names2" in h5_file.attrs
    model = applications.MobileNetV2(weights=str(tmp_path / "mine.h5"), **MOBILENET)
    np.testing.assert_allclose(predict(model), predict(mobilenet_source), rtol=1e-6)


@pytest.mark.slow  # about 1 s of CPU, several seconds on a busy machine
def test_weights_from_a_keras3_weights_file(mobilenet_source, tmp_path):
    mobilenet_source.save_weights(tmp_path / "mine.weights.h5")
    model = applications.MobileNetV2(weights=tmp_path / "mine.weights.h5", **MOBILENET)
    np.testing.assert_allclose(predict(model), predict(mobilenet_source), rtol=1e-6)


def small_model(seed):
    minilib.utils.set_random_seed(seed)
    return minilib.Sequential([minilib.Input((4,)), minilib.layers.Dense(3),
                               minilib.layers.BatchNormalization(), minilib.layers.Dense(2)])


def test_legacy_whole_model_file_is_read_from_its_model_weights_group(tmp_path):
    source, model = small_model(0), small_model(1)
    write_legacy_weights(source, tmp_path / "weights.h5")
    with h5py.File(tmp_path / "whole.h5", "w") as whole, h5py.File(tmp_path / "weights.h5") as part:
        part.copy(part["/"], whole, "model_weights")
        for name, value in part.attrs.items():
            whole["model_weights"].attrs[name] = value
    model.load_weights(tmp_path / "whole.h5")
    for loaded, saved in zip(model.get_weights(), source.get_weights(), strict=True):
        np.testing.assert_array_equal(loaded, saved)


def test_legacy_file_of_another_architecture_is_refused(mobilenet_source, tmp_path):
    write_legacy_weights(mobilenet_source, tmp_path / "mobilenet.h5")
    wider = applications.MobileNetV2(weights=None, alpha=0.5, include_top=False,
                                     input_shape=(32, 32, 3))
    before = wider.get_weights()
    with pytest.raises(ValueError, match=r"layer #10 \('block_1_project' in the file, "
                                         r"'block_1_project' in model 'mobilenetv2_0.50_32'\): "
                                         r"weight 'block_1_project/kernel' has shape "
                                         r"\(1, 1, 48, 16\), the file has \(1, 1, 48, 8\)"):
        wider.load_weights(tmp_path / "mobilenet.h5")
    for unchanged, original in zip(wider.get_weights(), before, strict=True):
        np.testing.assert_array_equal(unchanged, original)  # nothing was half-loaded
    small = minilib.Sequential([minilib.Input((4,)), minilib.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"the file has weights for 104 layer\(s\).*the "
                                         r"model has 1 layer\(s\) with weights"):
        small.load_weights(tmp_path / "mobilenet.h5")


def test_legacy_file_with_a_link_is_refused(tmp_path):
    model = minilib.Sequential([minilib.Input((4,)), minilib.layers.Dense(2, name="dense")])
    write_legacy_weights(model, tmp_path / "linked.h5")
    with h5py.File(tmp_path / "linked.h5", "a") as h5_file:
        del h5_file["dense/dense/weight_1:0"]
        h5_file["dense/dense/weight_1:0"] = h5py.SoftLink("/elsewhere")
    with pytest.raises(ValueError, match="'dense/weight_1:0' is a link"):
        model.load_weights(tmp_path / "linked.h5")
