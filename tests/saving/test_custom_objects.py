"""Your own functions and layers come back from a saved model, found the three ways Keras offers.

Following the custom-objects part of Keras's serialization guide: a saved model
names your objects; on loading they are found by registration
(`register_keras_serializable`), by `custom_objects={...}`, or inside a
`custom_object_scope`, through one lookup (`get_registered_object`) shared by
`load_model`, `deserialize_keras_object`, `layers.deserialize` and `activations.get`.
"""

import numpy as np
import pytest
import torch

import minilib
from minilib import activations, layers
from minilib.saving import (
    custom_object_scope,
    deserialize_keras_object,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    load_model,
    register_keras_serializable,
    serialize_keras_object,
)

X = np.random.default_rng(3).standard_normal((6, 4)).astype("float32")


@register_keras_serializable(package="custom_objects_test", name="cubed")
def cube(x):
    return x * x * x


def tanh_squared(x):  # not registered: loading must be told about it
    return torch.tanh(x) ** 2


class Doubler(layers.Layer):  # not registered either
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal")

    def call(self, inputs):
        return 2.0 * minilib.ops.matmul(inputs, self.w)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def model_with(activation):
    return minilib.Sequential([minilib.Input(shape=(4,)), layers.Dense(3, activation=activation),
                               layers.Dense(2)])


def test_registered_function_is_saved_under_its_registered_name():
    assert get_registered_name(cube) == "custom_objects_test>cubed"
    assert get_registered_object("custom_objects_test>cubed") is cube
    assert get_custom_objects()["custom_objects_test>cubed"] is cube
    # The layer config holds exactly what Keras writes for a custom activation.
    assert layers.Dense(2, activation=cube).get_config()["activation"] == {
        "module": "builtins", "class_name": "function", "config": "custom_objects_test>cubed",
        "registered_name": "function"}
    assert activations.serialize(activations.relu) == "relu"  # built-ins stay plain names


def test_registered_activation_loads_without_help(tmp_path):
    model = model_with(cube)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    assert loaded.layers[0].activation is cube
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)


def test_unregistered_activation_needs_custom_objects(tmp_path):
    model = model_with(tanh_squared)
    model.save(tmp_path / "model.keras")
    with pytest.raises(ValueError, match=r"Unknown activation 'tanh_squared'.*custom_objects"):
        load_model(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras", custom_objects={"tanh_squared": tanh_squared})
    assert loaded.layers[0].activation is tanh_squared
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)


def test_custom_object_scope_works_for_load_model_and_ends_with_the_block(tmp_path):
    model = model_with(tanh_squared)
    model.save(tmp_path / "model.keras")
    with custom_object_scope({"tanh_squared": tanh_squared}):
        loaded = load_model(tmp_path / "model.keras")
    assert loaded.layers[0].activation is tanh_squared
    assert get_registered_object("tanh_squared") is None


def test_guide_example_custom_layer_and_activation_in_a_scope():
    inputs = minilib.Input(shape=(4,))
    outputs = layers.Activation(tanh_squared)(Doubler(3)(inputs))
    model = minilib.Model(inputs, outputs)
    config = model.get_config()
    with pytest.raises(TypeError, match="Unknown class 'Doubler'"):
        minilib.Model.from_config(config)
    with custom_object_scope({"Doubler": Doubler, "tanh_squared": tanh_squared}):
        rebuilt = minilib.Model.from_config(config)
    assert isinstance(rebuilt.layers[1], Doubler) and rebuilt.layers[2].activation is tanh_squared
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)


def test_layers_serialize_and_deserialize_a_custom_layer():
    layer = Doubler(5, name="doubler")
    config = layers.serialize(layer)
    assert (config["class_name"], config["registered_name"]) == ("Doubler", "Doubler")
    rebuilt = layers.deserialize(config, custom_objects={"Doubler": Doubler})
    assert isinstance(rebuilt, Doubler) and rebuilt.get_config() == layer.get_config()


def test_every_loader_uses_the_same_lookup():
    saved = serialize_keras_object(tanh_squared)
    with custom_object_scope({"tanh_squared": tanh_squared}):
        assert activations.get("tanh_squared") is tanh_squared
        assert activations.get(saved) is tanh_squared
        assert deserialize_keras_object(saved) is tanh_squared
    assert activations.deserialize("tanh_squared", {"tanh_squared": tanh_squared}) \
        is tanh_squared
    assert activations.get("custom_objects_test>cubed") is cube
    with pytest.raises(ValueError, match="Unknown activation 'tanh_squared'"):
        activations.get("tanh_squared")


def test_scope_comes_before_custom_objects_as_in_keras():
    def other(x):
        return x

    with custom_object_scope({"tanh_squared": tanh_squared}):
        assert get_registered_object("tanh_squared", {"tanh_squared": other}) is tanh_squared
    assert get_registered_object("tanh_squared", {"tanh_squared": other}) is other
    assert get_registered_object("relu", module_objects={"relu": activations.relu}) \
        is activations.relu


def test_adding_to_get_custom_objects_registers(tmp_path):
    model = model_with(tanh_squared)
    model.save(tmp_path / "model.keras")
    get_custom_objects()["tanh_squared"] = tanh_squared
    try:
        assert load_model(tmp_path / "model.keras").layers[0].activation is tanh_squared
    finally:
        del get_custom_objects()["tanh_squared"]


def test_error_for_a_registered_name_says_how_to_register_it():
    saved = {"module": "builtins", "class_name": "function", "config": "elsewhere>swirl",
             "registered_name": "function"}
    with pytest.raises(TypeError, match=r"register_keras_serializable\(package='elsewhere', "
                                        r"name='swirl'\)"):
        deserialize_keras_object(saved)
