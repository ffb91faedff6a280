"""ZeroPadding2D, Cropping2D, UpSampling2D, Permute and RepeatVector against torch/NumPy."""

import numpy as np
import pytest
import torch.nn.functional as F

from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_matches_torch, random_floats


@pytest.mark.parametrize("padding, pairs", [(1, ((1, 1), (1, 1))), ((2, 0), ((2, 2), (0, 0))),
                                            (((1, 0), (2, 3)), ((1, 0), (2, 3)))])
def test_zero_padding_matches_numpy_pad(padding, pairs):
    x = random_floats(2, 3, 4, 2)
    expected = np.pad(x, ((0, 0), *pairs, (0, 0)))
    assert_matches_torch(layers.ZeroPadding2D(padding),
                         lambda t: F.pad(
                             t, (0, 0, pairs[1][0], pairs[1][1], pairs[0][0], pairs[0][1])), x)
    np.testing.assert_array_equal(layers.ZeroPadding2D(padding)(x).numpy(), expected)
    run_layer_test(layers.ZeroPadding2D, {"padding": padding}, x.shape, expected.shape)


def test_zero_padding_and_cropping_channels_first():
    x = random_floats(1, 2, 4, 5)
    padded = layers.ZeroPadding2D(((1, 2), (0, 1)), data_format="channels_first")(x)
    np.testing.assert_array_equal(padded.numpy(), np.pad(x, ((0, 0), (0, 0), (1, 2), (0, 1))))
    cropped = layers.Cropping2D(((1, 2), (0, 1)), data_format="channels_first")(padded)
    np.testing.assert_array_equal(cropped.numpy(), x)


def test_cropping_matches_slicing_and_gradients():
    x = random_floats(2, 6, 7, 3)
    assert_matches_torch(layers.Cropping2D(((1, 2), (3, 0))), lambda t: t[:, 1:4, 3:7, :], x)
    run_layer_test(layers.Cropping2D, {"cropping": 1}, x.shape, (2, 4, 5, 3))
    with pytest.raises(ValueError, match="'crop'.*leaves nothing"):
        layers.Cropping2D(3, name="crop")(x)


def test_upsampling_nearest_repeats_and_bilinear_matches_interpolate():
    x = random_floats(2, 3, 4, 2)
    assert_matches_torch(layers.UpSampling2D((2, 3)),
                         lambda t: t.repeat_interleave(2, 1).repeat_interleave(3, 2), x)
    assert_matches_torch(
        layers.UpSampling2D(2, interpolation="bilinear"),
        lambda t: F.interpolate(t.permute(0, 3, 1, 2), scale_factor=2, mode="bilinear",
                                align_corners=False).permute(0, 2, 3, 1), x)
    run_layer_test(layers.UpSampling2D, {"size": (2, 3)}, x.shape, (2, 6, 12, 2))


def test_permute_and_repeat_vector():
    x = random_floats(2, 3, 4, 5)
    assert_matches_torch(layers.Permute((3, 1, 2)), lambda t: t.permute(0, 3, 1, 2), x)
    run_layer_test(layers.Permute, {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3))
    v = random_floats(2, 5)
    assert_matches_torch(layers.RepeatVector(3), lambda t: t[:, None, :].repeat(1, 3, 1), v)
    run_layer_test(layers.RepeatVector, {"n": 4}, (2, 5), (2, 4, 5))
    with pytest.raises(ValueError, match="'perm'.*permutation"):
        layers.Permute((1, 3), name="perm")
