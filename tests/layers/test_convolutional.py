"""Convolution layers against PyTorch: forward values and gradients, after converting layouts.

minilib keeps Keras's layouts (channels-last images, `(kh, kw, in, out)`
kernels), so every reference below moves the channel axis, permutes the kernel
and pads the input by hand (Keras's "same" puts the odd extra zero at the
bottom/right), then calls plain torch.
"""

import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import minilib
from minilib import layers, ops
from minilib.ops.conv import conv
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_layer_matches_torch, random_floats


def nchw(x):
    return x.permute(0, 3, 1, 2)


def nhwc(x):
    return x.permute(0, 2, 3, 1)


def torch_kernel(kernel):
    """Keras `(kh, kw, in, out)` as torch `(out, in, kh, kw)`."""
    return kernel.permute(3, 2, 0, 1)


# Conv2D ------------------------------------------------------------------------

# (layer arguments, torch padding as F.pad's (left, right, top, bottom)) on a 7x8 image.
CONV2D_CASES = {
    "valid": ({"kernel_size": 3}, (0, 0, 0, 0)),
    "same_stride1": ({"kernel_size": 3, "padding": "same"}, (1, 1, 1, 1)),
    # Height 7 -> 4 rows needs (4-1)*2+3-7 = 2 zeros: 1 + 1. Width 8 -> 4 needs 1: 0 + 1.
    "same_stride2_uneven": ({"kernel_size": 3, "strides": 2, "padding": "same"}, (0, 1, 1, 1)),
    "same_stride2_kernel4": ({"kernel_size": 4, "strides": 2, "padding": "same"}, (1, 1, 1, 2)),
    "same_strides_2_1": ({"kernel_size": (3, 2), "strides": (2, 1), "padding": "same"},
                         (0, 1, 1, 1)),
    "valid_dilated": ({"kernel_size": 3, "dilation_rate": 2}, (0, 0, 0, 0)),
    "same_dilated": ({"kernel_size": 3, "dilation_rate": (2, 1), "padding": "same"},
                     (1, 1, 2, 2)),
}


@pytest.mark.parametrize("case", CONV2D_CASES)
def test_conv2d_matches_torch(case):
    kwargs, pads = CONV2D_CASES[case]
    layer = layers.Conv2D(6, activation="tanh", bias_initializer="glorot_uniform", **kwargs)
    strides = layer.strides
    dilation = layer.dilation_rate

    def reference(x, kernel, bias):
        y = F.conv2d(F.pad(nchw(x), pads), torch_kernel(kernel), bias, strides,
                     dilation=dilation)
        return torch.tanh(nhwc(y))

    assert_layer_matches_torch(layer, random_floats(2, 7, 8, 4), reference)


def test_conv2d_groups_match_torch_nn_conv2d():
    layer = layers.Conv2D(6, 3, groups=2, bias_initializer="glorot_uniform")
    torch_conv = torch.nn.Conv2d(4, 6, 3, groups=2)

    def reference(x, kernel, bias):
        assert kernel.shape == (3, 3, 2, 6)  # Keras's layout: in // groups
        return nhwc(torch.func.functional_call(
            torch_conv, {"weight": torch_kernel(kernel), "bias": bias}, (nchw(x),)))

    assert_layer_matches_torch(layer, random_floats(2, 7, 8, 4), reference)


def test_conv2d_channels_first_needs_no_transpose():
    layer = layers.Conv2D(5, 3, strides=2, padding="same", data_format="channels_first",
                          bias_initializer="glorot_uniform")

    def reference(x, kernel, bias):  # input (2, 4, 7, 8): pads as in same_stride2_uneven
        return F.conv2d(F.pad(x, (0, 1, 1, 1)), torch_kernel(kernel), bias, 2)

    assert_layer_matches_torch(layer, random_floats(2, 4, 7, 8), reference)
    assert layer.compute_output_shape((None, 4, 7, 8)) == (None, 5, 4, 4)


def test_conv2d_contract():
    run_layer_test(layers.Conv2D, {"filters": 4, "kernel_size": 3, "strides": 2,
                                   "padding": "same", "activation": "relu"},
                   input_shape=(2, 7, 8, 3), expected_output_shape=(2, 4, 4, 4),
                   expected_num_weights=2)


def test_conv2d_defaults_follow_keras():
    layer = layers.Conv2D(8, 3)
    layer.build((None, 28, 28, 5))
    limit = np.sqrt(6 / (9 * 5 + 9 * 8))  # glorot_uniform fans include the 3x3 window
    kernel = layer.kernel.numpy()
    assert kernel.shape == (3, 3, 5, 8)
    assert limit * 0.9 < np.abs(kernel).max() <= limit
    config = layer.get_config()
    assert config["kernel_size"] == (3, 3) and config["strides"] == (1, 1)
    assert config["padding"] == "valid" and config["data_format"] == "channels_last"
    assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
    assert [w.name for w in layer.weights] == ["kernel", "bias"]


def test_conv2d_regularizer_and_constraint():
    layer = layers.Conv2D(2, 1, use_bias=False, kernel_regularizer=minilib.regularizers.L2(0.5),
                          kernel_constraint="non_neg")
    layer(np.ones((1, 2, 2, 3), dtype="float32"))
    assert layer.bias is None
    expected = 0.5 * float(np.sum(layer.kernel.numpy() ** 2))
    np.testing.assert_allclose(float(layer.losses[0].detach()), expected, rtol=1e-6)
    assert layer.kernel.constraint is not None


# Conv1D ------------------------------------------------------------------------

# (layer arguments, padding of the steps axis) on 9 steps.
CONV1D_CASES = {
    "valid_stride2": ({"kernel_size": 3, "strides": 2}, (0, 0)),
    # 9 steps -> 5 needs (5-1)*2+4-9 = 3 zeros: 1 before, 2 after.
    "same_stride2": ({"kernel_size": 4, "strides": 2, "padding": "same"}, (1, 2)),
    "causal_dilated": ({"kernel_size": 3, "dilation_rate": 2, "padding": "causal"}, (4, 0)),
}


@pytest.mark.parametrize("case", CONV1D_CASES)
def test_conv1d_matches_torch(case):
    kwargs, pads = CONV1D_CASES[case]
    layer = layers.Conv1D(5, bias_initializer="glorot_uniform", **kwargs)

    def reference(x, kernel, bias):  # kernel (k, in, out) -> torch (out, in, k)
        y = F.conv1d(F.pad(x.transpose(1, 2), pads), kernel.permute(2, 1, 0), bias,
                     layer.strides, dilation=layer.dilation_rate)
        return y.transpose(1, 2)

    assert_layer_matches_torch(layer, random_floats(2, 9, 3), reference)


def test_conv1d_causal_output_never_sees_the_future():
    layer = layers.Conv1D(1, 3, padding="causal", use_bias=False)
    x = torch.zeros(1, 6, 1, requires_grad=True)
    layer(x)[0, 2, 0].backward()
    assert torch.all(x.grad[0, 3:] == 0) and torch.all(x.grad[0, :3] != 0)


def test_conv1d_contract_channels_first():
    run_layer_test(layers.Conv1D, {"filters": 4, "kernel_size": 3, "padding": "same",
                                   "data_format": "channels_first"},
                   input_shape=(2, 3, 10), expected_output_shape=(2, 4, 10),
                   expected_num_weights=2)


# Conv3D ------------------------------------------------------------------------

def test_conv3d_matches_torch():
    # a 5x6x7 volume, kernel 3, stride 2, "same": sizes 3, 3, 4 need 2, 1, 2 zeros in all
    layer = layers.Conv3D(4, 3, strides=2, padding="same", bias_initializer="glorot_uniform")

    def reference(x, kernel, bias):  # kernel (d, h, w, in, out) -> torch (out, in, d, h, w)
        x = F.pad(x.permute(0, 4, 1, 2, 3), (1, 1, 0, 1, 1, 1))  # (w, h, d) pads
        return F.conv3d(x, kernel.permute(4, 3, 0, 1, 2), bias, 2).permute(0, 2, 3, 4, 1)

    assert_layer_matches_torch(layer, random_floats(2, 5, 6, 7, 3), reference)


def test_conv3d_contract_channels_first():
    run_layer_test(layers.Conv3D, {"filters": 2, "kernel_size": (1, 2, 3),
                                   "data_format": "channels_first"},
                   input_shape=(2, 3, 4, 5, 6), expected_output_shape=(2, 2, 4, 4, 4),
                   expected_num_weights=2)


# Conv2DTranspose ---------------------------------------------------------------

# (layer arguments, (top, bottom) then (left, right) to cut from torch's full output;
# negative: zeros to add). Input 4x5, so torch's full output is (4-1)*s + k by (5-1)*s + k.
TRANSPOSE_CASES = {
    "valid_stride2": ({"kernel_size": 3, "strides": 2}, (0, 0)),
    "valid_stride3_kernel2": ({"kernel_size": 2, "strides": 3}, (0, -1)),  # max(k, s) rows
    "same_stride1": ({"kernel_size": 3, "padding": "same"}, (1, 1)),
    "same_stride2": ({"kernel_size": 3, "strides": 2, "padding": "same"}, (0, 1)),
    "same_stride2_kernel4": ({"kernel_size": 4, "strides": 2, "padding": "same"}, (1, 1)),
    "same_output_padding": ({"kernel_size": 3, "strides": 2, "padding": "same",
                             "output_padding": 1}, (0, 1)),
    "valid_output_padding": ({"kernel_size": 3, "strides": 2, "output_padding": 1}, (0, -1)),
}


@pytest.mark.parametrize("case", TRANSPOSE_CASES)
def test_conv2d_transpose_matches_torch(case):
    kwargs, (before, after) = TRANSPOSE_CASES[case]
    layer = layers.Conv2DTranspose(3, bias_initializer="glorot_uniform", **kwargs)

    def reference(x, kernel, bias):  # kernel (kh, kw, out, in) -> torch (in, out, kh, kw)
        full = F.conv_transpose2d(nchw(x), kernel.permute(3, 2, 0, 1), None, layer.strides)
        cut = F.pad(full, (-before, -after, -before, -after))
        return nhwc(cut + bias[:, None, None])

    x = random_floats(2, 4, 5, 4)
    assert_layer_matches_torch(layer, x, reference)
    assert tuple(layer(x).shape) == layer.compute_output_shape(x.shape)


def test_conv2d_transpose_undoes_the_shape_of_a_strided_conv():
    x = np.ones((1, 7, 9, 2), dtype="float32")
    down = layers.Conv2D(4, 3, strides=2, padding="same")(x)
    up = layers.Conv2DTranspose(2, 3, strides=2, padding="same",
                                output_padding=(0, 0))(down)
    assert tuple(down.shape) == (1, 4, 5, 4) and tuple(up.shape) == (1, 7, 9, 2)


def test_conv2d_transpose_contract():
    layer = run_layer_test(layers.Conv2DTranspose, {"filters": 2, "kernel_size": 3,
                                                    "strides": 2, "padding": "same"},
                           input_shape=(2, 4, 5, 3), expected_output_shape=(2, 8, 10, 2),
                           expected_num_weights=2)
    assert layer.kernel.shape == (3, 3, 2, 3)  # (kh, kw, out, in)


# DepthwiseConv2D and SeparableConv2D -------------------------------------------


def depthwise_reference(x, kernel, strides, pads):
    """Torch's grouped conv: output channel c * m + j is input c with filter kernel[..., c, j]."""
    kh, kw, channels, multiplier = kernel.shape
    weight = kernel.reshape(kh, kw, 1, channels * multiplier).permute(3, 2, 0, 1)
    return F.conv2d(F.pad(nchw(x), pads), weight, None, strides, groups=channels)


def test_depthwise_conv2d_matches_torch():
    layer = layers.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2,
                                   bias_initializer="glorot_uniform")

    def reference(x, kernel, bias):
        return nhwc(depthwise_reference(x, kernel, 2, (0, 1, 1, 1))) + bias

    assert_layer_matches_torch(layer, random_floats(2, 7, 8, 3), reference)
    assert layer.kernel.shape == (3, 3, 3, 2)


def test_depthwise_conv2d_contract():
    run_layer_test(layers.DepthwiseConv2D, {"kernel_size": 3, "depth_multiplier": 2},
                   input_shape=(2, 6, 6, 3), expected_output_shape=(2, 4, 4, 6),
                   expected_num_weights=2)


def test_separable_conv2d_matches_torch():
    layer = layers.SeparableConv2D(5, 3, padding="same", depth_multiplier=2,
                                   bias_initializer="glorot_uniform", activation="relu")

    def reference(x, depthwise, pointwise, bias):
        spatial = depthwise_reference(x, depthwise, 1, (1, 1, 1, 1))
        return torch.relu(nhwc(F.conv2d(spatial, torch_kernel(pointwise), bias)))

    assert_layer_matches_torch(layer, random_floats(2, 6, 7, 3), reference)
    assert [tuple(w.shape) for w in layer.weights] == [(3, 3, 3, 2), (1, 1, 6, 5), (5,)]


def test_separable_conv2d_contract():
    run_layer_test(layers.SeparableConv2D, {"filters": 4, "kernel_size": 3, "strides": 2},
                   input_shape=(2, 7, 7, 3), expected_output_shape=(2, 3, 3, 4),
                   expected_num_weights=3)


# Errors ------------------------------------------------------------------------


def test_wrong_channel_count_names_the_layer():
    layer = layers.Conv2D(2, 3, name="edges")
    layer(np.ones((1, 5, 5, 3), dtype="float32"))
    with pytest.raises(ValueError, match=r"'edges'.*axis -1.*size 3.*\(1, 5, 5, 4\)"):
        layer(np.ones((1, 5, 5, 4), dtype="float32"))


def test_conv_needs_the_right_rank():
    with pytest.raises(ValueError, match=r"'c' expected an input with 4 dimensions.*\(2, 5, 3\)"):
        layers.Conv2D(2, 3, name="c")(np.ones((2, 5, 3), dtype="float32"))


def test_groups_must_divide_the_channels():
    with pytest.raises(ValueError, match=r"Conv2D 'g'.*5 channels.*groups=2"):
        layers.Conv2D(4, 3, groups=2, name="g")(np.ones((1, 5, 5, 5), dtype="float32"))
    with pytest.raises(ValueError, match=r"groups must be .* divides filters=3"):
        layers.Conv2D(3, 3, groups=2)


def test_input_smaller_than_the_kernel_is_refused():
    with pytest.raises(ValueError, match=r"Conv2D 'small'.*\(1, 2, 2, 1\).*smaller"):
        layers.Conv2D(1, 3, name="small")(np.ones((1, 2, 2, 1), dtype="float32"))


@pytest.mark.parametrize("kwargs, message", [
    ({"filters": 2, "kernel_size": 3, "padding": "full"}, r"padding must be one of valid, same"),
    ({"filters": 2, "kernel_size": (3, 0)}, r"kernel_size must be a positive int"),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, r"strides > 1"),
    ({"filters": 0, "kernel_size": 3}, r"filters must be a positive int, got 0"),
    ({"filters": 2, "kernel_size": 3, "data_format": "NHWC"}, r"data_format must be"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Conv2D(**kwargs)


def test_ops_conv_infers_groups_from_the_kernel():
    x, kernel = random_floats(1, 5, 5, 4), random_floats(3, 3, 2, 6)
    grouped = conv(x, kernel)  # 4 input channels, 2 per kernel: 2 groups
    halves = [conv(x[..., 2 * g:2 * g + 2], kernel[..., 3 * g:3 * g + 3]) for g in (0, 1)]
    torch.testing.assert_close(grouped, torch.cat(halves, dim=-1))
    with pytest.raises(ValueError, match=r"conv: a kernel of shape \(3, 3, 3, 6\)"):
        conv(x, random_floats(3, 3, 3, 6))


# In a model --------------------------------------------------------------------


def test_a_small_cnn_learns_the_digits():
    """The Keras guide's MNIST convnet, shrunk to scikit-learn's 8x8 digits."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")[..., None]  # (1797, 8, 8, 1)
    x_train, x_test, y_train, y_test = train_test_split(
        images, digits.target, test_size=0.25, random_state=0)
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(8, 8, 1)),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # such tiny convolutions only wait on each other across threads
    try:
        model.fit(x_train, y_train, batch_size=32, epochs=15, verbose=0)
        loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    finally:
        torch.set_num_threads(threads)
    assert accuracy > 0.9, f"test accuracy {accuracy:.3f}"


# Saving and Keras --------------------------------------------------------------


def test_conv_layers_work_in_a_saved_functional_model(tmp_path):
    inputs = minilib.Input(shape=(8, 8, 2))
    x = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    x = layers.SeparableConv2D(4, 3, strides=2, padding="same")(x)
    x = layers.DepthwiseConv2D(3, padding="same")(x)
    outputs = layers.Conv2DTranspose(2, 3, strides=2, padding="same")(x)
    model = minilib.Model(inputs, outputs)
    assert outputs.shape == (None, 8, 8, 2)
    path = tmp_path / "conv.keras"
    model.save(path)
    loaded = minilib.saving.load_model(path)
    data = random_floats(2, 8, 8, 2)
    np.testing.assert_allclose(ops.convert_to_numpy(loaded(data)),
                               ops.convert_to_numpy(model(data)), rtol=1e-6, atol=1e-6)


KERAS_SCRIPT = textwrap.dedent("""
    import json, sys
    import numpy as np
    import keras

    folder = sys.argv[1]
    for index, (name, kwargs) in enumerate(json.load(open(f"{folder}/cases.json"))):
        data = np.load(f"{folder}/case{index}.npz")
        layer = getattr(keras.layers, name)(**kwargs)
        layer.build(data["x"].shape)
        layer.set_weights([data[f"w{i}"] for i in range(len(data.files) - 1)])
        np.save(f"{folder}/keras{index}.npy", keras.ops.convert_to_numpy(layer(data["x"])))
""")

KERAS_CASES = [
    ("Conv2D", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "groups": 2, "dilation_rate": 2}),
    ("Conv1D", {"filters": 3, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 2, "strides": 3}),
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "padding": "same",
                         "depth_multiplier": 2}),
    ("SeparableConv2D", {"filters": 3, "kernel_size": 3, "padding": "same"}),
    ("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}),
    # Uneven "same" average pooling is left out: Keras's torch backend pads it by repeating
    # the edge and counts those values, while its JAX and NumPy backends (and minilib)
    # average the real values only.
    ("AveragePooling2D", {"pool_size": 3, "strides": 1, "padding": "same"}),
]


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="needs keras")
def test_keras_gives_the_same_outputs_for_the_same_weights(tmp_path):
    import json

    expected = []
    for index, (name, kwargs) in enumerate(KERAS_CASES):
        shape = (2, 9, 4) if name == "Conv1D" else (2, 7, 8, 4)
        x = random_floats(*shape, seed=index)
        extra = {"bias_initializer": "glorot_uniform"} if "Conv" in name else {}
        layer = getattr(layers, name)(**kwargs, **extra)
        expected.append(ops.convert_to_numpy(layer(x)))
        weights = {f"w{i}": w for i, w in enumerate(layer.get_weights())}
        np.savez(tmp_path / f"case{index}.npz", x=x, **weights)
    (tmp_path / "cases.json").write_text(json.dumps(KERAS_CASES))
    subprocess.run([sys.executable, "-c", KERAS_SCRIPT, str(tmp_path)], check=True,
                   env={**os.environ, "KERAS_BACKEND": "torch", "CUDA_VISIBLE_DEVICES": ""},
                   capture_output=True)
    for index, want in enumerate(expected):
        got = np.load(tmp_path / f"keras{index}.npy")
        np.testing.assert_allclose(want, got, rtol=1e-4, atol=1e-5,
                                   err_msg=f"{KERAS_CASES[index]}")
