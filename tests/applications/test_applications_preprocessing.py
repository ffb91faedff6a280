"""preprocess_input and decode_predictions: the same values as Keras's, for every module."""

import importlib
import json

import numpy as np
import pytest
import torch

import minilib
from minilib.applications import imagenet_utils
from tests.applications import cases

IMAGENET_MEAN_BGR = np.array([103.939, 116.779, 123.68], "float32")


def preprocess_of(module):
    return importlib.import_module(f"minilib.applications.{module}").preprocess_input


@pytest.mark.slow
@pytest.mark.parametrize("module", cases.PREPROCESSING_MODULES)
@pytest.mark.parametrize("variant", ["", "_uint8", "_one_image", "_channels_first"])
def test_preprocess_input_equals_keras(keras_small, module, variant):
    folder, _ = keras_small
    images = cases.images(4, 5)
    arguments = {"": (images.copy(), {}), "_uint8": (images.astype("uint8"), {}),
                 "_one_image": (images[0].copy(), {}),
                 "_channels_first": (images.transpose(0, 3, 1, 2).copy(),
                                     {"data_format": "channels_first"})}
    x, kwargs = arguments[variant]
    actual = preprocess_of(module)(x, **kwargs)
    expected = np.load(folder / "preprocessed.npz")[module + variant]
    assert actual.dtype == expected.dtype
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_modes_equal_keras_for_arrays_and_tensors(keras_small, mode):
    folder, _ = keras_small
    expected = np.load(folder / "preprocessed.npz")
    images = cases.images(4, 5)
    np.testing.assert_allclose(imagenet_utils.preprocess_input(images, mode=mode),
                               expected[f"mode_{mode}"], rtol=1e-6, atol=1e-6)
    tensor = imagenet_utils.preprocess_input(torch.as_tensor(images), mode=mode)
    assert isinstance(tensor, torch.Tensor)
    np.testing.assert_allclose(tensor.numpy(), expected[f"mode_{mode}_tensor"], rtol=1e-6,
                               atol=1e-6)


def test_the_three_modes_by_hand():
    pixel = np.array([[[[10.0, 20.0, 30.0]]]], "float32")
    np.testing.assert_allclose(preprocess_of("vgg16")(pixel)[0, 0, 0],
                               np.array([30.0, 20.0, 10.0]) - IMAGENET_MEAN_BGR, rtol=1e-6)
    np.testing.assert_allclose(preprocess_of("xception")(pixel)[0, 0, 0],
                               pixel[0, 0, 0] / 127.5 - 1, rtol=1e-6)
    np.testing.assert_allclose(preprocess_of("densenet")(pixel)[0, 0, 0],
                               (pixel[0, 0, 0] / 255 - [0.485, 0.456, 0.406])
                               / [0.229, 0.224, 0.225], rtol=1e-5)
    assert preprocess_of("efficientnet")(pixel) is pixel


def test_the_input_is_left_unchanged():
    images = cases.images(2, 3)
    original = images.copy()
    preprocess_of("resnet50")(images)
    np.testing.assert_array_equal(images, original)


def test_inside_a_functional_model():
    inputs = minilib.Input(shape=(4, 5, 3))
    model = minilib.Model(inputs, preprocess_of("resnet_v2")(inputs))
    images = cases.images(4, 5)
    np.testing.assert_allclose(model.predict(images, verbose=0), images / 127.5 - 1, rtol=1e-6)


def test_bad_mode_and_data_format():
    with pytest.raises(ValueError, match="mode must be 'caffe', 'tf' or 'torch', got mode='x'"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), mode="x")
    with pytest.raises(ValueError, match="data_format must be"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), data_format="nhwc")


@pytest.fixture
def served_class_index(storage, tmp_path):
    (tmp_path / "imagenet_class_index.json").write_text(json.dumps(cases.class_index()))
    return storage.serve(tmp_path)


def test_decode_predictions_reads_the_served_class_index(served_class_index):
    predictions = np.full((2, 1000), 0.1, "float32")
    predictions[0, [7, 3, 500]] = [0.9, 0.8, 0.7]
    predictions[1, 999] = 0.5
    decoded = minilib.applications.mobilenet_v2.decode_predictions(predictions, top=3)
    assert [label for label, _, _ in decoded[0]] == ["n00000007", "n00000003", "n00000500"]
    assert decoded[0][0][1:] == ("class_7", pytest.approx(0.9))
    assert decoded[1][0] == ("n00000999", "class_999", pytest.approx(0.5))
    assert len(minilib.applications.vgg16.decode_predictions(torch.as_tensor(predictions))[1]) \
        == 5
    assert served_class_index.served == ["/imagenet_class_index.json"]  # then from the cache


@pytest.mark.slow
def test_decode_predictions_equals_keras(keras_small, served_class_index):
    folder, report = keras_small
    decoded = imagenet_utils.decode_predictions(np.load(folder / "decode_input.npy"), top=3)
    assert [[[label, name, pytest.approx(score, rel=1e-7)] for label, name, score in row]
            for row in decoded] == report["decoded"]
    assert served_class_index.requests == report["class_index_download"]


def test_decode_predictions_needs_1000_classes():
    with pytest.raises(ValueError, match=r"shape \(samples, 1000\), got an array of shape "
                                         r"\(2, 10\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))
