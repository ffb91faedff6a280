import numpy as np
import pytest
import torch

import minilib
from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_layer_matches_torch, random_floats


def test_dense_contract():
    run_layer_test(layers.Dense, {"units": 3, "activation": "relu"}, input_shape=(2, 4),
                   expected_output_shape=(2, 3), expected_num_weights=2)


def test_dense_on_3d_input_applies_to_last_axis():
    run_layer_test(layers.Dense, {"units": 5}, input_shape=(2, 7, 4),
                   expected_output_shape=(2, 7, 5))


def test_dense_matches_torch_linear_values_and_gradients():
    dense = layers.Dense(3, activation="tanh")
    linear = torch.nn.Linear(4, 3)

    def reference(x, kernel, bias):  # torch stores the kernel transposed: (out, in)
        params = {"weight": kernel.T, "bias": bias}
        return torch.tanh(torch.func.functional_call(linear, params, (x,)))

    assert_layer_matches_torch(dense, random_floats(6, 4), reference, atol=1e-5, rtol=1.3e-6)


def test_dense_defaults_follow_keras():
    dense = layers.Dense(64)
    dense.build((None, 100))
    limit = np.sqrt(6 / (100 + 64))  # glorot_uniform on a (in, out) kernel
    kernel = dense.kernel.numpy()
    assert kernel.shape == (100, 64)
    assert np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.9 * limit
    np.testing.assert_array_equal(dense.bias.numpy(), np.zeros(64))
    assert dense.get_config()["kernel_initializer"]["class_name"] == "GlorotUniform"


def test_dense_without_bias():
    dense = layers.Dense(2, use_bias=False)
    dense(np.ones((1, 3), dtype="float32"))
    assert [w.name for w in dense.weights] == ["kernel"]
    assert dense.bias is None


def test_wrong_input_size_names_layer_expected_and_received():
    dense = layers.Dense(3, name="hidden")
    dense(np.ones((2, 4), dtype="float32"))
    with pytest.raises(ValueError, match=r"Layer 'hidden'.*axis -1.*size 4.*\(2, 5\)"):
        dense(np.ones((2, 5), dtype="float32"))


def test_wrong_symbolic_input_size_fails_at_graph_building():
    inputs = minilib.Input(shape=(4,))
    dense = layers.Dense(3, name="hidden")
    dense(inputs)
    with pytest.raises(ValueError, match=r"'hidden'.*size 4.*\(None, 6\)"):
        dense(minilib.Input(shape=(6,)))


def test_rank_one_input_is_rejected_with_explanation():
    with pytest.raises(ValueError, match=r"Layer 'd'.*at least 2 dimensions.*\(4,\)"):
        layers.Dense(3, name="d")(np.ones(4, dtype="float32"))


def test_units_must_be_positive():
    with pytest.raises(ValueError, match="units must be a positive integer"):
        layers.Dense(0)


def test_unknown_constructor_argument_is_named():
    with pytest.raises(TypeError, match="Dense.*unitz"):
        layers.Dense(3, unitz=4)
