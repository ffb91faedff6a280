"""The architectures: layer names, classes and weight counts equal real Keras's; shapes,
pooling, `input_tensor` and feature extraction work as in Keras."""

import numpy as np
import pytest
import torch

import minilib
from minilib import applications
from tests.applications import cases


def build(function_name, kwargs):
    minilib.utils.clear_session()  # automatic names (conv2d, add, ...) start again, as in Keras
    return getattr(applications, function_name)(**kwargs)


@pytest.mark.slow
@pytest.mark.parametrize(("case", "function_name", "kwargs"), cases.FULL_MODELS,
                         ids=[case for case, _, _ in cases.FULL_MODELS])
def test_full_model_equals_keras(keras_architectures, case, function_name, kwargs):
    assert cases.describe(build(function_name, kwargs)) == keras_architectures[case]


@pytest.mark.slow
@pytest.mark.parametrize(("case", "function_name", "kwargs"), cases.SMALL_MODELS,
                         ids=[case for case, _, _ in cases.SMALL_MODELS])
def test_small_model_equals_keras(keras_small, case, function_name, kwargs):
    _, report = keras_small
    assert cases.describe(build(function_name, kwargs)) == report["models"][case]


@pytest.mark.parametrize(("kwargs", "output_shape"), [
    ({"include_top": False}, (None, 1, 1, 1280)),
    ({"include_top": False, "pooling": "avg"}, (None, 1280)),
    ({"include_top": False, "pooling": "max"}, (None, 1280)),
    ({"include_top": True, "classes": 3}, (None, 3)),
])
def test_output_shapes(kwargs, output_shape):
    model = build("MobileNetV2", {"weights": None, "alpha": 0.35, "input_shape": (32, 32, 3),
                                  **kwargs})
    assert model.output.shape == output_shape
    assert tuple(model.predict(np.zeros((2, 32, 32, 3), "float32"), verbose=0).shape) == (
        2, *output_shape[1:])


def test_without_top_any_image_size_is_accepted():
    model = build("MobileNetV2", {"weights": None, "alpha": 0.35, "include_top": False,
                                  "pooling": "avg"})
    assert model.input.shape == (None, None, None, 3)
    assert model.predict(np.zeros((1, 64, 48, 3), "float32"), verbose=0).shape == (1, 1280)


def test_pooling_max_takes_the_maximum_of_the_feature_map():
    pooled = build("MobileNetV2", {"weights": None, "alpha": 0.35, "include_top": False,
                                   "input_shape": (64, 64, 3), "pooling": "max"})
    pooled.set_weights(build("MobileNetV2", {"weights": None, "alpha": 0.35,
                                             "include_top": False,
                                             "input_shape": (64, 64, 3)}).get_weights())
    features = minilib.Model(pooled.input, pooled.layers[-2].output)
    images = np.random.default_rng(0).uniform(0, 255, (2, 64, 64, 3)).astype("float32")
    expected = features.predict(images, verbose=0).max(axis=(1, 2))
    np.testing.assert_allclose(pooled.predict(images, verbose=0), expected, rtol=1e-6)


@pytest.mark.slow  # about 1 s of CPU, several seconds on a busy machine
def test_input_tensor_after_other_layers():
    inputs = minilib.Input(shape=(32, 32, 3))
    scaled = minilib.layers.Rescaling(2.0)(inputs)
    settings = {"weights": None, "alpha": 0.35, "include_top": False, "pooling": "avg"}
    model = build("MobileNetV2", {**settings, "input_tensor": scaled})
    plain = build("MobileNetV2", {**settings, "input_shape": (32, 32, 3)})
    plain.set_weights(model.get_weights())
    assert model.input is inputs  # the model starts where the given tensor starts
    assert type(model.layers[1]).__name__ == "Rescaling"
    images = np.random.default_rng(1).uniform(0, 1, (2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(model.predict(images, verbose=0),
                               plain.predict(2 * images, verbose=0), rtol=1e-5, atol=1e-6)


def test_feature_extraction_as_in_the_functional_api_guide():
    vgg19 = build("VGG19", {"weights": None, "include_top": False, "input_shape": (32, 32, 3)})
    features_list = [layer.output for layer in vgg19.layers]
    feat_extraction_model = minilib.Model(inputs=vgg19.input, outputs=features_list)
    extracted = feat_extraction_model(np.random.default_rng(2).random((1, 32, 32, 3)) * 255)
    assert len(extracted) == len(vgg19.layers) == 22
    assert tuple(extracted[-1].shape) == (1, 1, 1, 512)
    assert isinstance(extracted[-1], torch.Tensor)


def test_keras_module_names_lead_to_the_same_models():
    assert applications.vgg16.VGG16 is applications.VGG16
    assert applications.resnet50.ResNet50 is applications.resnet.ResNet50
    assert applications.resnet_v2.ResNet50V2 is applications.ResNet50V2
    assert minilib.applications.xception.Xception is applications.Xception
    assert "applications" in minilib.__all__
