"""minilib.activations: values and gradients against torch, and lookup by name."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from minilib import activations
from tests.helpers.torch_oracle import assert_matches_torch, random_floats

X = random_floats(4, 6, low=-8.0, high=8.0)

REFERENCES = {
    "relu": torch.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "relu6": F.relu6,
    "elu": F.elu,
    "selu": F.selu,
    "gelu": F.gelu,  # exact by default here, unlike ops.gelu
    "sigmoid": torch.sigmoid,
    "hard_sigmoid": F.hardsigmoid,
    "silu": F.silu,
    "swish": F.silu,
    "hard_silu": F.hardswish,
    "hard_swish": F.hardswish,
    "tanh": torch.tanh,
    "softplus": F.softplus,
    "softsign": F.softsign,
    "mish": F.mish,
    "softmax": lambda x: torch.softmax(x, dim=-1),
    "log_softmax": lambda x: torch.log_softmax(x, dim=-1),
    "exponential": torch.exp,
    "linear": lambda x: x,
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_matches_torch(name):
    assert_matches_torch(activations.get(name), REFERENCES[name], X, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, [0.0, 0.0, 0.0, 5.0, 10.0]),
        ({"negative_slope": 0.5}, [-5.0, -2.5, 0.0, 5.0, 10.0]),
        ({"max_value": 5.0}, [0.0, 0.0, 0.0, 5.0, 5.0]),
        ({"threshold": 5.0}, [0.0, 0.0, 0.0, 0.0, 10.0]),
        ({"negative_slope": 0.5, "threshold": 5.0, "max_value": 8.0},
         [-7.5, -5.0, -2.5, 0.0, 8.0]),
    ],
)
def test_relu_options(kwargs, expected):
    x = np.array([-10.0, -5.0, 0.0, 5.0, 10.0], dtype=np.float32)
    np.testing.assert_allclose(activations.relu(x, **kwargs).numpy(), expected)


def test_relu_options_gradients_match_torch():
    assert_matches_torch(
        lambda x: activations.relu(x, negative_slope=0.1, max_value=3.0, threshold=1.0),
        lambda x: torch.where(x > 1.0, x, 0.1 * (x - 1.0)).clamp(max=3.0), X)


def test_activation_arguments():
    assert_matches_torch(lambda x: activations.gelu(x, approximate=True),
                         lambda x: F.gelu(x, approximate="tanh"), X, atol=1e-5)
    assert_matches_torch(lambda x: activations.softmax(x, axis=0),
                         lambda x: torch.softmax(x, dim=0), X)
    assert_matches_torch(lambda x: activations.elu(x, alpha=2.0), lambda x: F.elu(x, 2.0), X)


def test_get_accepts_names_functions_and_none():
    assert activations.get("relu") is activations.relu
    assert activations.get(None) is activations.linear
    custom = torch.sin
    assert activations.get(custom) is custom
    assert activations.get("swish") is activations.silu is activations.swish


def test_serialize_round_trips_every_builtin():
    for name in REFERENCES:
        function = activations.get(name)
        assert activations.deserialize(activations.serialize(function)) is function
    assert activations.serialize(activations.swish) == "silu"


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown activation 'relux'.*relu, relu6"):
        activations.get("relux")


def test_custom_functions_serialize_to_their_name_as_keras_does():
    def scaled_tanh(x):
        return 2.0 * torch.tanh(x)

    assert activations.serialize(scaled_tanh) == {
        "module": "builtins", "class_name": "function", "config": "scaled_tanh",
        "registered_name": "function"}
    with pytest.raises(ValueError, match="Unknown activation 'scaled_tanh'"):
        activations.deserialize("scaled_tanh")


def test_bad_identifiers_are_rejected():
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(3)
    with pytest.raises(ValueError, match="Cannot serialize"):
        activations.serialize(object())
