"""Normalization, Rescaling, Resizing, CenterCrop and the random augmentation layers."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import minilib as keras
from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_matches_torch, random_floats

RANDOM_LAYERS = [
    (layers.RandomFlip, {}),
    (layers.RandomRotation, {"factor": 0.2}),
    (layers.RandomTranslation, {"height_factor": 0.2, "width_factor": 0.2}),
    (layers.RandomZoom, {"height_factor": 0.3}),
]


# ------------------------------------------------------------------------ Normalization
def test_normalization_adapt_on_array_equals_numpy_and_keras_weights():
    data = random_floats(50, 3) * [1, 5, 10] + [0, 2, -4]
    norm = layers.Normalization()
    norm.adapt(data)
    assert [w.name for w in norm.weights] == ["mean", "variance", "count"]
    np.testing.assert_allclose(norm.adapt_mean.numpy(), data.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(norm.adapt_variance.numpy(), data.var(0), rtol=1e-5)
    assert int(norm.count) == 50
    expected = (data - data.mean(0)) / data.std(0)
    np.testing.assert_allclose(norm(data).numpy(), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layers.Normalization(invert=True, mean=data.mean(0),
                                                    variance=data.var(0))(expected).numpy(),
                               data, rtol=1e-4, atol=1e-4)


def test_normalization_adapt_on_batches_and_pydataset_equals_numpy():
    data = random_floats(70, 4, 3)

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, index):
            return data[index * 32:(index + 1) * 32], np.zeros(1)

    for source in (Batches(), [data[:10], data[10:45], data[45:]]):
        norm = layers.Normalization(axis=-1)
        norm.adapt(source)
        np.testing.assert_allclose(norm.adapt_mean.numpy(), data.mean((0, 1)), atol=1e-6)
        np.testing.assert_allclose(norm.adapt_variance.numpy(), data.var((0, 1)), rtol=1e-5)
    whole = layers.Normalization(axis=None)
    whole.adapt(torch.tensor(data))
    np.testing.assert_allclose(whole.adapt_mean.numpy(), data.mean(), atol=1e-6)


def test_normalization_with_given_statistics_contract_and_errors():
    assert_matches_torch(layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0]),
                         lambda t: (t - torch.tensor([1.0, 2.0])) / torch.tensor([2.0, 3.0]),
                         random_floats(3, 2))
    run_layer_test(layers.Normalization, {"mean": 1.0, "variance": 4.0}, (2, 3), (2, 3),
                   expected_num_weights=0)
    with pytest.raises(ValueError, match="'norm'.*both mean and variance"):
        layers.Normalization(mean=1.0, name="norm")
    norm = layers.Normalization(name="norm2")
    norm.adapt(random_floats(5, 3))
    with pytest.raises(ValueError, match="'norm2'.*shape"):
        norm.adapt(random_floats(5, 4))


# ------------------------------------------------------------- Rescaling, Resizing, crop
def test_rescaling_turns_uint8_images_into_floats():
    pixels = np.array([[0, 51, 255]], dtype="uint8")
    np.testing.assert_allclose(layers.Rescaling(1 / 127.5, offset=-1)(pixels).numpy(),
                               [[-1.0, -0.6, 1.0]], rtol=1e-6)
    assert_matches_torch(layers.Rescaling(2.0, 1.0), lambda t: t * 2 + 1, random_floats(2, 3))
    run_layer_test(layers.Rescaling, {"scale": 0.5}, (2, 3), (2, 3))


@pytest.mark.parametrize("interpolation, mode", [("bilinear", "bilinear"),
                                                 ("nearest", "nearest-exact"),
                                                 ("bicubic", "bicubic")])
def test_resizing_matches_torch_interpolate(interpolation, mode):
    x = random_floats(2, 8, 6, 3)
    corners = None if mode == "nearest-exact" else False
    assert_matches_torch(
        layers.Resizing(5, 9, interpolation=interpolation),
        lambda t: F.interpolate(t.permute(0, 3, 1, 2), size=(5, 9), mode=mode,
                                align_corners=corners).permute(0, 2, 3, 1), x, atol=1e-5)
    run_layer_test(layers.Resizing, {"height": 4, "width": 4, "interpolation": interpolation},
                   x.shape, (2, 4, 4, 3))


def test_resizing_crop_to_aspect_ratio_and_center_crop():
    x = random_floats(1, 8, 12, 2)
    cropped = layers.Resizing(4, 4, crop_to_aspect_ratio=True)(x)
    expected = layers.Resizing(4, 4)(x[:, :, 2:10])
    np.testing.assert_allclose(cropped.numpy(), expected.numpy())
    np.testing.assert_array_equal(layers.CenterCrop(4, 5)(x).numpy(), x[:, 2:6, 3:8])
    np.testing.assert_array_equal(layers.CenterCrop(4, 5)(x[0]).numpy(), x[0, 2:6, 3:8])
    assert tuple(layers.CenterCrop(10, 10)(x).shape) == (1, 10, 10, 2)  # too small: resized
    run_layer_test(layers.CenterCrop, {"height": 3, "width": 3}, (2, 5, 6, 1), (2, 3, 3, 1))


# ----------------------------------------------------------------------- augmentations
@pytest.mark.parametrize("layer_cls, kwargs", RANDOM_LAYERS)
def test_random_layers_change_training_inputs_only_and_repeat_with_a_seed(layer_cls, kwargs):
    images = random_floats(6, 10, 12, 3)
    layer = layer_cls(**kwargs, seed=7)
    np.testing.assert_array_equal(layer(images, training=False).numpy(), images)
    augmented = layer(images, training=True).numpy()
    assert augmented.shape == images.shape
    assert not np.allclose(augmented, images)
    again = layer_cls(**kwargs, seed=7)(images).numpy()   # training defaults to True
    np.testing.assert_array_equal(augmented, again)
    per_image = [np.allclose(a, i) for a, i in zip(augmented, images, strict=True)]
    different = [not np.allclose(a, augmented[0]) for a in augmented[1:]]
    assert any(different) or any(per_image)
    run_layer_test(layer_cls, {**kwargs, "seed": 1}, images.shape, images.shape)


@pytest.mark.parametrize("layer_cls, kwargs", RANDOM_LAYERS)
def test_random_layers_are_identity_in_predict(layer_cls, kwargs):
    images = random_floats(4, 8, 8, 1)
    model = keras.Sequential([keras.Input((8, 8, 1)), layer_cls(**kwargs, seed=0)])
    np.testing.assert_array_equal(model.predict(images, verbose=0), images)


def test_random_flip_flips_each_image_or_leaves_it():
    images = random_floats(16, 4, 5, 1)
    flipped = layers.RandomFlip("horizontal", seed=0)(images).numpy()
    is_flipped = [np.array_equal(f, i[:, ::-1]) for f, i in zip(flipped, images, strict=True)]
    is_same = [np.array_equal(f, i) for f, i in zip(flipped, images, strict=True)]
    assert all(a or b for a, b in zip(is_flipped, is_same, strict=True))
    assert any(is_flipped) and any(is_same)


def test_rotation_by_a_quarter_turn_is_counter_clockwise_rot90():
    images = random_floats(3, 6, 6, 2)
    for interpolation in ("bilinear", "nearest"):
        rotated = layers.RandomRotation((0.25, 0.25), interpolation=interpolation)(images)
        np.testing.assert_allclose(rotated.numpy(), np.rot90(images, k=1, axes=(1, 2)),
                                   atol=1e-5)


def test_translation_by_whole_pixels_and_fill_modes():
    image = np.arange(1, 6, dtype="float32").reshape(1, 1, 5, 1)  # one row: 1 2 3 4 5
    shift = {"height_factor": 0.0, "width_factor": (0.4, 0.4)}     # 2 pixels to the right
    expected = {"constant": [-1, -1, 1, 2, 3], "nearest": [1, 1, 1, 2, 3],
                "reflect": [2, 1, 1, 2, 3], "wrap": [4, 5, 1, 2, 3]}
    for fill_mode, row in expected.items():
        layer = layers.RandomTranslation(**shift, fill_mode=fill_mode, fill_value=-1.0,
                                         interpolation="nearest")
        np.testing.assert_allclose(layer(image).numpy().ravel(), row, atol=1e-5,
                                   err_msg=fill_mode)


def test_zoom_in_and_out_move_pixels_about_the_centre():
    image = np.zeros((1, 9, 9, 1), dtype="float32")
    image[0, 3:6, 3:6] = 1.0
    zoom_in = layers.RandomZoom((-0.5, -0.5), interpolation="nearest", fill_mode="constant")
    zoom_out = layers.RandomZoom((1.0, 1.0), interpolation="nearest", fill_mode="constant")
    assert zoom_in(image).numpy().sum() > image.sum() > zoom_out(image).numpy().sum()
    np.testing.assert_array_equal(zoom_in(image).numpy()[0, 4, 4], 1.0)


def test_augmentation_errors_name_the_layer():
    with pytest.raises(ValueError, match="'rot'.*fill_mode"):
        layers.RandomRotation(0.1, fill_mode="mirror", name="rot")
    with pytest.raises(ValueError, match="'shift'.*height_factor"):
        layers.RandomTranslation(1.5, 0.1, name="shift")
    with pytest.raises(ValueError, match="'flip'.*mode"):
        layers.RandomFlip("diagonal", name="flip")
