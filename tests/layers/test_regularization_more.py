"""SpatialDropout1D/2D, GaussianNoise, GaussianDropout and ActivityRegularization."""

import numpy as np
import pytest
import torch

from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_matches_torch, random_floats


@pytest.mark.parametrize("layer_cls, shape, channel_axes", [
    (layers.SpatialDropout1D, (4, 10, 16), (1,)),
    (layers.SpatialDropout2D, (4, 5, 6, 16), (1, 2)),
])
def test_spatial_dropout_drops_whole_channels_only_in_training(layer_cls, shape, channel_axes):
    x = np.ones(shape, dtype="float32")
    layer = layer_cls(0.5, seed=1)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    y = layer(x, training=True).numpy()
    assert set(np.unique(y)) == {0.0, 2.0}
    assert np.all(y.min(axis=channel_axes) == y.max(axis=channel_axes))  # constant per channel
    run_layer_test(layer_cls, {"rate": 0.3, "seed": 2}, shape, shape)


def test_spatial_dropout2d_channels_first_matches_torch_dropout2d_statistics():
    x = np.ones((64, 8, 3, 3), dtype="float32")
    y = layers.SpatialDropout2D(0.25, data_format="channels_first", seed=0)(
        x, training=True).numpy()
    assert np.all(y.min(axis=(2, 3)) == y.max(axis=(2, 3)))
    assert abs((y[:, :, 0, 0] == 0).mean() - 0.25) < 0.05


def test_gaussian_noise_and_dropout_statistics_and_seeds():
    x = np.ones((200, 100), dtype="float32")
    noise = layers.GaussianNoise(0.5, seed=3)
    np.testing.assert_array_equal(noise(x).numpy(), x)
    noisy = noise(x, training=True).numpy()
    assert abs(noisy.mean() - 1) < 0.01 and abs(noisy.std() - 0.5) < 0.01
    again = layers.GaussianNoise(0.5, seed=3)(x, training=True).numpy()
    np.testing.assert_array_equal(noisy, again)
    dropped = layers.GaussianDropout(0.2, seed=3)(x, training=True).numpy()
    assert abs(dropped.mean() - 1) < 0.01 and abs(dropped.std() - 0.5) < 0.01
    np.testing.assert_array_equal(layers.GaussianDropout(0.2)(x).numpy(), x)
    run_layer_test(layers.GaussianNoise, {"stddev": 0.1, "seed": 1}, (2, 3), (2, 3))
    run_layer_test(layers.GaussianDropout, {"rate": 0.1, "seed": 1}, (2, 3), (2, 3))


def test_gaussian_noise_gradient_is_identity():
    x = torch.tensor(random_floats(3, 4), requires_grad=True)
    cotangent = torch.randn(3, 4)
    layers.GaussianNoise(0.3, seed=0)(x, training=True).backward(cotangent)
    torch.testing.assert_close(x.grad, cotangent)


def test_activity_regularization_adds_l1_l2_penalty_and_passes_input():
    x = random_floats(3, 4)
    layer = layers.ActivityRegularization(l1=0.01, l2=0.1)
    assert_matches_torch(layer, lambda t: t * 1, x)
    expected = 0.01 * np.abs(x).sum() + 0.1 * np.square(x).sum()
    layer(x)
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0]), expected, rtol=1e-5)
    config = run_layer_test(layers.ActivityRegularization, {"l1": 0.2}, (2, 3),
                            (2, 3)).get_config()
    assert config["l1"] == 0.2 and config["l2"] == 0.0
    assert torch.is_tensor(layer(x))
