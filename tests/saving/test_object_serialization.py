"""serialize_keras_object / deserialize_keras_object, the registry, and the functional config."""

import json

import numpy as np
import pytest

import minilib
from minilib import layers
from minilib.saving import (
    custom_object_scope,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)


def test_builtin_layer_uses_keras_module_names():
    config = serialize_keras_object(layers.Dense(3, activation="relu", name="d"))
    assert config["module"] == "keras.layers" and config["class_name"] == "Dense"
    assert config["registered_name"] is None
    assert config["config"]["units"] == 3 and config["config"]["activation"] == "relu"
    rebuilt = deserialize_keras_object(json.loads(json.dumps(config)))
    assert isinstance(rebuilt, layers.Dense) and rebuilt.get_config() == \
        layers.Dense(3, activation="relu", name="d").get_config()


def test_built_layer_records_its_input_shape():
    layer = layers.Dense(2)
    layer(minilib.Input(shape=(5,)))
    config = serialize_keras_object(layer)
    assert config["build_config"] == {"input_shape": [None, 5]}
    assert deserialize_keras_object(config).kernel.shape == (5, 2)


def test_builtin_functions_are_saved_by_name():
    config = serialize_keras_object(minilib.activations.relu)
    assert config == {"module": "builtins", "class_name": "function", "config": "relu",
                      "registered_name": "function"}
    assert deserialize_keras_object(config) is minilib.activations.relu
    assert deserialize_keras_object(serialize_keras_object(minilib.losses.mean_squared_error)) \
        is minilib.losses.mean_squared_error


@pytest.mark.parametrize("wrapper", [minilib.losses.LossFunctionWrapper,
                                     minilib.metrics.MeanMetricWrapper])
def test_function_wrappers_save_their_function_by_name(wrapper):
    config = wrapper(minilib.losses.huber, name="wrapped", delta=3.0).get_config()
    assert config["fn"] == "huber" and config["delta"] == 3.0
    restored = wrapper.from_config(config)
    assert restored.fn is minilib.losses.huber and restored.fn_kwargs == {"delta": 3.0}
    assert config["fn"] == "huber"  # the caller's config is left as it was
    with pytest.raises(TypeError, match="Unknown function 'no_such_fn'"):
        wrapper.from_config({**config, "fn": "no_such_fn"})


def test_plain_values_arrays_and_containers():
    value = {"a": [1, 2.5, None, "x"], "b": np.arange(3, dtype="int32")}
    rebuilt = deserialize_keras_object(json.loads(json.dumps(serialize_keras_object(value))))
    assert rebuilt["a"] == [1, 2.5, None, "x"]
    np.testing.assert_array_equal(rebuilt["b"], np.arange(3))
    assert rebuilt["b"].dtype == "int32"


def test_lambda_cannot_be_saved():
    with pytest.raises(ValueError, match="lambda"):
        serialize_keras_object(lambda x: x)


@register_keras_serializable(package="tests", name="Halver")
class Half(layers.Layer):
    def call(self, inputs):
        return inputs / 2


def test_registered_class_is_saved_under_its_registered_name():
    config = serialize_keras_object(Half(name="h"))
    assert config["registered_name"] == "tests>Halver" == get_registered_name(Half)
    assert get_registered_object("tests>Halver") is Half
    assert isinstance(deserialize_keras_object(config), Half)


def test_registering_a_class_without_get_config_fails():
    with pytest.raises(ValueError, match="get_config"):
        register_keras_serializable()(type("NoConfig", (), {}))


class Unregistered(layers.Layer):
    def call(self, inputs):
        return inputs


def test_unknown_class_error_and_custom_object_scope():
    config = serialize_keras_object(Unregistered(name="u"))
    with pytest.raises(TypeError, match=r"Unknown class 'Unregistered'.*custom_objects"):
        deserialize_keras_object(config)
    with custom_object_scope({"Unregistered": Unregistered}):
        assert isinstance(deserialize_keras_object(config), Unregistered)
    assert isinstance(deserialize_keras_object(config, {"Unregistered": Unregistered}),
                      Unregistered)


def test_functional_config_layout_matches_keras():
    # The exact layout Keras 3.15 writes for this model (layer configs aside).
    encoder_input = minilib.Input(shape=(4,), name="encoder_input")
    encoder = minilib.Model(encoder_input, layers.Dense(2, name="code")(encoder_input),
                            name="encoder")
    head = minilib.Sequential([minilib.Input(shape=(2,)), layers.Dense(3)], name="head")
    inputs = minilib.Input(shape=(4,), name="x")
    code = encoder(inputs)
    model = minilib.Model(inputs, [head(code), code])
    config = json.loads(json.dumps(model.get_config()))

    assert [layer["name"] for layer in config["layers"]] == ["x", "encoder", "head"]
    assert config["layers"][0]["inbound_nodes"] == []
    assert config["layers"][2]["inbound_nodes"] == [{"args": [{
        "class_name": "__keras_tensor__",
        "config": {"shape": [None, 2], "dtype": "float32",
                   "keras_history": ["encoder", 0, 0]}}], "kwargs": {}}]
    assert config["input_layers"] == ["x", 0, 0]
    # Keras numbers a nested functional model's calls from 1 here.
    assert config["output_layers"] == [["head", 0, 0], ["encoder", 1, 0]]
    assert config["layers"][1]["module"] == "keras.src.models.functional"

    rebuilt = minilib.models.Functional.from_config(config)
    assert [layer.name for layer in rebuilt.layers] == ["x", "encoder", "head"]


def test_layers_are_listed_deepest_first_as_in_keras():
    a, b = minilib.Input(shape=(3,), name="a"), minilib.Input(shape=(2,), name="b")
    merged = layers.Concatenate(name="merge")([layers.Dense(2, name="branch")(a), b])
    model = minilib.Model([a, b], [layers.Dense(1, name="out1")(merged),
                                   layers.Dense(1, name="out2")(merged)])
    names = [layer["name"] for layer in model.get_config()["layers"]]
    assert names == ["a", "branch", "b", "merge", "out1", "out2"]
