import numpy as np
import pytest

import minilib
from minilib import layers


def make_model():
    return minilib.Sequential([
        minilib.Input(shape=(4,)),
        layers.Dense(8, activation="relu", name="hidden"),
        layers.Dense(3, name="out"),
    ], name="stack")


def test_sequential_with_input_builds_at_once():
    model = make_model()
    assert model.built
    assert [layer.name for layer in model.layers] == ["hidden", "out"]  # no InputLayer
    assert model.count_params() == 4 * 8 + 8 + 8 * 3 + 3
    assert model.layers[1].output.shape == (None, 3)
    assert model.input.shape == (None, 4) and model.output.shape == (None, 3)


def test_sequential_forward_equals_layer_by_layer():
    model = make_model()
    x = np.random.default_rng(0).standard_normal((5, 4)).astype("float32")
    by_hand = model.layers[1](model.layers[0](x))
    np.testing.assert_allclose(model(x).detach().numpy(), by_hand.detach().numpy())


def test_sequential_without_input_builds_on_first_call():
    model = minilib.Sequential([layers.Dense(2), layers.Dense(1)])
    assert not model.built
    model(np.ones((3, 5), dtype="float32"))
    assert model.built and model.layers[0].kernel.shape == (5, 2)
    assert model.output.shape == (None, 1)


def test_input_shape_argument_builds_like_keras_2():
    model = minilib.Sequential([layers.Dense(2, input_shape=(6,)), layers.Dense(1)])
    assert model.built and model.input.shape == (None, 6)


def test_add_pop_and_get_layer():
    model = minilib.Sequential(name="grow")
    model.add(minilib.Input(shape=(3,)))
    model.add(layers.Dense(4, name="a"))
    model.add(layers.Dense(2, name="b"))
    assert model.output.shape == (None, 2)
    assert model.get_layer("a") is model.layers[0]
    assert model.get_layer(index=-1).name == "b"
    popped = model.pop()
    assert popped.name == "b" and model.output.shape == (None, 4)
    assert "b" not in dict(model.named_children())
    with pytest.raises(ValueError, match="No layer named 'zzz'.*Its layers: a"):
        model.get_layer("zzz")
    with pytest.raises(ValueError, match="out of range"):
        model.get_layer(index=5)


def test_feature_extractor_from_intermediate_output():
    model = make_model()
    extractor = minilib.Model(inputs=model.inputs, outputs=model.get_layer("hidden").output)
    x = np.ones((2, 4), dtype="float32")
    np.testing.assert_allclose(extractor(x).detach().numpy(),
                               model.layers[0](x).detach().numpy())


def test_adding_an_incompatible_layer_fails_at_add_time():
    model = minilib.Sequential([minilib.Input(shape=(4,)), layers.Reshape((2, 2))])
    with pytest.raises(ValueError, match="Reshape 'bad'"):
        model.add(layers.Reshape((3, 3), name="bad"))


def test_add_rejects_non_layers_and_late_inputs():
    model = minilib.Sequential([layers.Dense(2)])
    with pytest.raises(TypeError, match="can only stack layers"):
        model.add("dense")
    with pytest.raises(ValueError, match="only be the first layer"):
        model.add(minilib.Input(shape=(2,)))


def test_duplicate_layer_names_are_rejected():
    with pytest.raises(ValueError, match="two different layers named 'same'"):
        minilib.Sequential([layers.Dense(2, name="same"), layers.Dense(2, name="same")])


def test_state_dict_keys_use_layer_names():
    model = make_model()
    assert list(model.state_dict()) == ["hidden.kernel", "hidden.bias", "out.kernel", "out.bias"]


def test_build_with_batch_shape():
    model = minilib.Sequential([layers.Dense(2)])
    model.build((None, 7))
    assert model.layers[0].kernel.shape == (7, 2)


def test_input_and_output_shape_once_known_and_attribute_errors_before():
    model = minilib.Sequential([layers.Dense(4), layers.Dense(2)])
    assert not hasattr(model, "input_shape") and not hasattr(model, "output_shape")
    with pytest.raises(AttributeError):
        model.output_shape  # noqa: B018  (Keras raises AttributeError too)
    model.build((None, 3))
    assert model.input_shape == (None, 3) and model.output_shape == (None, 2)
    with_input = minilib.Sequential([minilib.Input(shape=(6, 5)), layers.Dense(7)])
    assert with_input.input_shape == (None, 6, 5) and with_input.output_shape == (None, 6, 7)
