"""Pooling layers against PyTorch: forward values and gradients, after converting layouts.

"valid" pooling is compared with `F.max_pool2d` / `F.avg_pool2d` on the
channels-first view. For "same" pooling the reference is written out window by
window (each window clipped to the input), which spells out Keras's rule: the
padding never wins a max and is never counted in a mean.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import minilib
from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_matches_torch, random_floats


def pooled_by_hand(x, pool_size, strides, pads, reduce):
    """Pool channels-last `x` window by window; `pads` is the padding before each axis."""
    spatial = x.shape[1:-1]
    out_sizes = [-(-n // s) for n, s in zip(spatial, strides, strict=True)]  # ceil(n / s)
    windows = []
    for index in np.ndindex(*out_sizes):
        region = x
        for axis, (i, k, s, before) in enumerate(zip(index, pool_size, strides, pads,
                                                     strict=True), start=1):
            start = max(i * s - before, 0)
            region = region.narrow(axis, start, min(i * s - before + k, x.shape[axis]) - start)
        windows.append(reduce(region.flatten(1, -2), dim=1))
    return torch.stack(windows, dim=1).reshape(x.shape[0], *out_sizes, x.shape[-1])


def amax(x, dim):
    return torch.amax(x, dim=dim)


def mean(x, dim):
    return torch.mean(x, dim=dim)


# MaxPooling / AveragePooling 2D -------------------------------------------------


@pytest.mark.parametrize("layer_cls, torch_pool", [
    (layers.MaxPooling2D, F.max_pool2d), (layers.AveragePooling2D, F.avg_pool2d)])
@pytest.mark.parametrize("pool_size, strides", [(2, None), (3, 1), ((3, 2), (2, 1))])
def test_valid_pooling_2d_matches_torch(layer_cls, torch_pool, pool_size, strides):
    layer = layer_cls(pool_size, strides)
    assert_matches_torch(
        layer,
        lambda x: torch_pool(x.permute(0, 3, 1, 2), layer.pool_size, layer.strides)
        .permute(0, 2, 3, 1),
        random_floats(2, 7, 8, 3))


# On a 7x8 image with pool 3, stride 2: 4x4 windows; height needs 2 padded rows (1 before,
# 1 after), width 1 padded column (0 before, 1 after): Keras pads the odd one at the end.
@pytest.mark.parametrize("layer_cls, reduce", [
    (layers.MaxPooling2D, amax), (layers.AveragePooling2D, mean)])
@pytest.mark.parametrize("pool_size, strides, pads", [
    (3, 2, (1, 0)), (2, 2, (0, 0)), (2, 1, (0, 0)), ((4, 3), (1, 2), (1, 0))])
def test_same_pooling_2d_matches_a_window_by_window_reference(layer_cls, reduce, pool_size,
                                                               strides, pads):
    layer = layer_cls(pool_size, strides, padding="same")
    assert_matches_torch(
        layer, lambda x: pooled_by_hand(x, layer.pool_size, layer.strides, pads, reduce),
        random_floats(2, 7, 8, 3))


def test_average_pooling_same_does_not_count_the_padding():
    pool = layers.AveragePooling2D(pool_size=2, padding="same")
    np.testing.assert_allclose(pool(np.ones((1, 5, 5, 3), dtype="float32")).numpy(),
                               np.ones((1, 3, 3, 3)))


def test_max_pooling_same_never_picks_the_padding():
    pool = layers.MaxPooling2D(pool_size=3, strides=2, padding="same")
    out = pool(-np.ones((1, 4, 4, 1), dtype="float32"))
    np.testing.assert_array_equal(out.numpy(), -np.ones((1, 2, 2, 1)))


@pytest.mark.parametrize("layer_cls, torch_pool", [
    (layers.MaxPooling2D, F.max_pool2d), (layers.AveragePooling2D, F.avg_pool2d)])
def test_pooling_channels_first_matches_torch(layer_cls, torch_pool):
    layer = layer_cls(3, 2, data_format="channels_first")
    assert_matches_torch(layer, lambda x: torch_pool(x, 3, 2), random_floats(2, 3, 7, 8))
    assert layer.compute_output_shape((None, 3, 7, 8)) == (None, 3, 3, 3)


@pytest.mark.parametrize("layer_cls", [layers.MaxPooling2D, layers.AveragePooling2D])
def test_pooling_2d_contract(layer_cls):
    run_layer_test(layer_cls, {"pool_size": 3, "strides": 2, "padding": "same"},
                   input_shape=(2, 7, 8, 3), expected_output_shape=(2, 4, 4, 3),
                   expected_num_weights=0)


def test_pooling_defaults_follow_keras():
    config = layers.MaxPooling2D().get_config()
    assert config["pool_size"] == (2, 2) and config["strides"] == (2, 2)
    assert config["padding"] == "valid" and config["data_format"] == "channels_last"
    assert layers.AveragePooling1D().get_config()["pool_size"] == (2,)
    assert layers.MaxPool2D is layers.MaxPooling2D


# 1D ----------------------------------------------------------------------------


@pytest.mark.parametrize("layer_cls, torch_pool", [
    (layers.MaxPooling1D, F.max_pool1d), (layers.AveragePooling1D, F.avg_pool1d)])
def test_valid_pooling_1d_matches_torch(layer_cls, torch_pool):
    layer = layer_cls(pool_size=3, strides=2)
    assert_matches_torch(layer, lambda x: torch_pool(x.transpose(1, 2), 3, 2).transpose(1, 2),
                         random_floats(2, 9, 3))


@pytest.mark.parametrize("layer_cls, reduce", [
    (layers.MaxPooling1D, amax), (layers.AveragePooling1D, mean)])
def test_same_pooling_1d_matches_a_window_by_window_reference(layer_cls, reduce):
    layer = layer_cls(pool_size=4, strides=2, padding="same")  # 9 steps: 1 before, 2 after
    assert_matches_torch(layer, lambda x: pooled_by_hand(x, (4,), (2,), (1,), reduce),
                         random_floats(2, 9, 3))


@pytest.mark.parametrize("layer_cls", [layers.MaxPooling1D, layers.AveragePooling1D])
def test_pooling_1d_contract(layer_cls):
    run_layer_test(layer_cls, {"pool_size": 2, "data_format": "channels_first"},
                   input_shape=(2, 3, 9), expected_output_shape=(2, 3, 4),
                   expected_num_weights=0)


def test_pool_larger_than_the_input_is_refused():
    with pytest.raises(ValueError, match=r"MaxPooling2D 'big'.*\(1, 2, 2, 1\).*smaller"):
        layers.MaxPooling2D(3, name="big")(np.ones((1, 2, 2, 1), dtype="float32"))


def test_pooling_needs_the_right_rank():
    with pytest.raises(ValueError, match=r"'p' expected an input with 4 dimensions.*\(2, 5, 3\)"):
        layers.MaxPooling2D(name="p")(np.ones((2, 5, 3), dtype="float32"))


# Global pooling ----------------------------------------------------------------


@pytest.mark.parametrize("layer_cls, reduce", [
    (layers.GlobalMaxPooling2D, torch.amax), (layers.GlobalAveragePooling2D, torch.mean),
    (layers.GlobalMaxPooling1D, torch.amax), (layers.GlobalAveragePooling1D, torch.mean)])
@pytest.mark.parametrize("data_format, keepdims", [
    ("channels_last", False), ("channels_first", False), ("channels_last", True)])
def test_global_pooling_matches_torch(layer_cls, reduce, data_format, keepdims):
    layer = layer_cls(data_format=data_format, keepdims=keepdims)
    rank = 2 if layer_cls.__name__.endswith("2D") else 1
    axes = tuple(range(1, 1 + rank)) if data_format == "channels_last" else \
        tuple(range(2, 2 + rank))
    x = random_floats(2, *[5, 6][:rank], 3)
    assert_matches_torch(layer, lambda t: reduce(t, dim=axes, keepdim=keepdims), x)
    assert tuple(layer(x).shape) == layer.compute_output_shape(x.shape)


@pytest.mark.parametrize("layer_cls, input_shape, output_shape", [
    (layers.GlobalAveragePooling2D, (2, 5, 6, 3), (2, 3)),
    (layers.GlobalMaxPooling1D, (2, 5, 3), (2, 3))])
def test_global_pooling_contract(layer_cls, input_shape, output_shape):
    run_layer_test(layer_cls, {}, input_shape=input_shape, expected_output_shape=output_shape,
                   expected_num_weights=0)


def test_global_average_pooling_1d_averages_over_unmasked_steps_only():
    x = random_floats(2, 5, 3)
    mask = np.array([[True, True, True, False, False], [True] * 5])
    pool = layers.GlobalAveragePooling1D()

    def reference(t):
        return torch.stack([t[0, :3].mean(dim=0), t[1].mean(dim=0)])

    assert_matches_torch(lambda t: pool(t, mask=torch.tensor(mask)), reference, x)


def test_global_average_pooling_1d_uses_the_mask_that_travels_with_the_tensor():
    tokens = np.array([[4, 7, 0, 0], [1, 2, 3, 5]])
    embedded = layers.Embedding(10, 3, mask_zero=True)(tokens)
    pooled = layers.GlobalAveragePooling1D()(embedded)
    torch.testing.assert_close(pooled[0], embedded[0, :2].mean(dim=0))
    assert getattr(pooled, "_keras_mask", None) is None  # the steps, and their mask, are gone


def test_global_average_pooling_1d_masks_in_a_model():
    model = minilib.Sequential([
        layers.Embedding(10, 4, mask_zero=True),
        layers.GlobalAveragePooling1D(),
        layers.Dense(1),
    ])
    padded = model(np.array([[3, 5, 0, 0, 0]]))
    unpadded = model(np.array([[3, 5]]))
    torch.testing.assert_close(padded, unpadded)
