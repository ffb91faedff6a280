import numpy as np

import minilib
from minilib import layers


def test_a_model_whose_name_has_a_dot_nests_inside_another_model():
    inner_inputs = minilib.Input(shape=(3,))
    inner = minilib.Model(inner_inputs, layers.Dense(2, name="dense")(inner_inputs),
                          name="base_0.35_32")
    inputs = minilib.Input(shape=(3,))
    outer = minilib.Model(inputs, layers.Dense(1, name="head")(inner(inputs)))
    assert inner.name == "base_0.35_32"  # the Keras name is kept; only torch's key changes
    assert outer.get_layer("base_0.35_32") is inner
    assert sorted(outer.state_dict()) == ["base_0_35_32.dense.bias", "base_0_35_32.dense.kernel",
                                          "head.bias", "head.kernel"]
    x = np.ones((2, 3), dtype="float32")
    np.testing.assert_allclose(outer(x).detach().numpy(),
                               outer.layers[-1](inner(x)).detach().numpy(), rtol=1e-6)


def test_a_layer_named_like_a_model_method_gets_a_trailing_underscore():
    inputs = minilib.Input(shape=(3,))
    model = minilib.Model(inputs, layers.Dense(1, name="output")(inputs))
    assert "output_.kernel" in model.state_dict()
