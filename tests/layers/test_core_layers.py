import numpy as np
import pytest
import torch

import minilib
from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_matches_torch, random_floats


@pytest.mark.parametrize("activation, reference", [
    ("relu", torch.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh),
    ("softmax", lambda x: torch.softmax(x, dim=-1)),
    ("gelu", lambda x: torch.nn.functional.gelu(x)),
    ("elu", torch.nn.functional.elu), ("selu", torch.selu),
    ("swish", torch.nn.functional.silu), ("linear", lambda x: x * 1),
])
def test_activation_layer_matches_torch(activation, reference):
    assert_matches_torch(layers.Activation(activation), reference, random_floats(3, 5))


def test_activation_layer_contract():
    run_layer_test(layers.Activation, {"activation": "relu"}, (2, 3), (2, 3),
                   expected_num_weights=0)


def test_leaky_relu_uses_keras_default_slope():
    assert_matches_torch(layers.LeakyReLU(),
                         lambda x: torch.nn.functional.leaky_relu(x, 0.3), random_floats(4, 4))
    run_layer_test(layers.LeakyReLU, {"negative_slope": 0.1}, (2, 3), (2, 3))


def test_relu_layer_cap_and_threshold():
    x = np.array([[-2.0, 0.5, 1.5, 8.0]], dtype="float32")
    out = layers.ReLU(max_value=6.0, threshold=1.0)(x)
    np.testing.assert_allclose(out.numpy(), [[0.0, 0.0, 1.5, 6.0]])


def test_softmax_and_elu_layers():
    assert_matches_torch(layers.Softmax(axis=0), lambda x: torch.softmax(x, dim=0),
                         random_floats(3, 4))
    assert_matches_torch(layers.ELU(alpha=0.5),
                         lambda x: torch.nn.functional.elu(x, alpha=0.5), random_floats(3, 4))


def test_dropout_is_identity_at_inference_and_scales_in_training():
    x = np.ones((200, 50), dtype="float32")
    drop = layers.Dropout(0.4)
    np.testing.assert_array_equal(drop(x).numpy(), x)
    out = drop(x, training=True).numpy()
    kept = out != 0
    assert 0.5 < kept.mean() < 0.7
    np.testing.assert_allclose(out[kept], 1 / 0.6, rtol=1e-6)


def test_dropout_seed_repeats_and_rate_is_checked():
    x = np.ones((10, 10), dtype="float32")
    first = layers.Dropout(0.5, seed=3)(x, training=True).numpy()
    second = layers.Dropout(0.5, seed=3)(x, training=True).numpy()
    np.testing.assert_array_equal(first, second)
    with pytest.raises(ValueError, match="rate must be between 0 and 1"):
        layers.Dropout(1.5)


def test_dropout_follows_training_flag_of_the_outer_model():
    model = minilib.Sequential([minilib.Input(shape=(100,)), layers.Dropout(0.5)])
    x = np.ones((4, 100), dtype="float32")
    np.testing.assert_array_equal(model(x).numpy(), x)
    assert (model(x, training=True).numpy() == 0).any()


def test_flatten_and_reshape():
    run_layer_test(layers.Flatten, {}, (2, 3, 4), (2, 12))
    run_layer_test(layers.Reshape, {"target_shape": (6, 2)}, (2, 3, 4), (2, 6, 2))
    run_layer_test(layers.Reshape, {"target_shape": (-1, 3)}, (2, 3, 4), (2, 4, 3))
    x = random_floats(2, 3, 4)
    np.testing.assert_array_equal(layers.Flatten()(x).numpy(), x.reshape(2, 12))


def test_reshape_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Reshape 'r'.*\(3, 4\).*\(5, 2\)"):
        layers.Reshape((5, 2), name="r")(minilib.Input(shape=(3, 4)))
    with pytest.raises(ValueError, match="only one size may be -1"):
        layers.Reshape((-1, -1))


def test_flatten_keeps_unknown_sizes_unknown():
    out = layers.Flatten()(minilib.Input(shape=(None, 3)))
    assert out.shape == (None, None)


def test_lambda_layer_infers_its_output_shape():
    inputs = minilib.Input(shape=(4,))
    doubled = layers.Lambda(lambda t: torch.cat([t, t], dim=-1))(inputs)
    assert doubled.shape == (None, 8)
    with pytest.raises(NotImplementedError, match="cannot be saved"):
        layers.Lambda(lambda t: t).get_config()


def test_identity_layer():
    run_layer_test(layers.Identity, {}, (2, 3), (2, 3))


def test_input_layer_and_input():
    x = minilib.Input(shape=(28, 28), name="image", dtype="float32")
    assert x.shape == (None, 28, 28)
    assert x.name == "image"
    assert minilib.Input(batch_shape=(8, 3)).shape == (8, 3)
    assert minilib.Input(shape=(3,), batch_size=4).shape == (4, 3)
    with pytest.raises(ValueError, match="needs a `shape`"):
        minilib.Input()


def test_symbolic_tensors_refuse_arithmetic_with_a_hint():
    x = minilib.Input(shape=(3,))
    with pytest.raises(TypeError, match="layers.Add"):
        x + x
