"""An architecture without its weights: `clone_model`, `to_json` / `model_from_json`, and
`layers.serialize` / `deserialize`, in the order of Keras's serialization guide.

The last tests pass JSON both ways between minilib and real Keras 3 (see `conftest`):
the same JSON text and weights file give the same predictions in both libraries.
"""

import json

import numpy as np
import pytest

import minilib
from minilib import layers
from minilib.models import clone_model, model_from_json
from tests.saving.conftest import EXCHANGED, assert_same_outputs, predictions

X = np.random.default_rng(4).standard_normal((6, 4)).astype("float32")


def sequential():
    return minilib.Sequential([minilib.Input(shape=(4,), name="features"),
                               layers.Dense(5, activation="relu"), layers.Dropout(0.5),
                               layers.Dense(2)], name="stack")


def functional():
    """A shared layer (called twice) and a nested model: the awkward cases for cloning."""
    inputs = minilib.Input(shape=(4,), name="x")
    shared = layers.Dense(4, activation="tanh", name="shared")
    inner_input = minilib.Input(shape=(4,))
    inner = minilib.Model(inner_input, layers.Dense(3, name="inner_dense")(inner_input),
                          name="inner")
    outputs = layers.Dense(2, name="out")(
        layers.BatchNormalization(name="bn")(inner(shared(shared(inputs)))))
    return minilib.Model(inputs, outputs, name="graph")


def assert_fresh_copy(clone, model):
    """Same architecture and names, but weights of its own."""
    assert clone.get_config() == model.get_config()
    assert len(clone.weights) == len(model.weights)
    own = {id(weight) for weight in model.weights}
    assert not any(id(weight) in own for weight in clone.weights)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)


def test_clone_sequential():
    model = sequential()
    clone = clone_model(model)
    assert isinstance(clone, minilib.Sequential) and clone.name == "stack"
    assert clone.inputs[0].name == "features"
    assert not np.allclose(clone.layers[0].kernel.detach(), model.layers[0].kernel.detach())
    assert_fresh_copy(clone, model)


def test_clone_functional_keeps_a_shared_layer_shared():
    model = functional()
    clone = clone_model(model)
    assert type(clone) is minilib.models.Functional
    assert [layer.name for layer in clone.layers] == ["x", "shared", "inner", "bn", "out"]
    assert len(clone.get_layer("shared")._inbound_nodes) == 2
    assert clone.get_layer("inner") is not model.get_layer("inner")
    assert_fresh_copy(clone, model)


def test_clone_function_is_called_once_per_layer_and_can_swap_layers():
    seen = []

    def without_dropout(layer):
        seen.append(layer.name)
        if isinstance(layer, layers.Dropout):
            return layers.Identity(name="no_dropout")
        return type(layer).from_config(layer.get_config())

    clone = clone_model(sequential(), clone_function=without_dropout)
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Identity", "Dense"]
    assert len(seen) == 3
    seen.clear()
    clone_model(functional(), clone_function=without_dropout)
    assert sorted(seen) == ["bn", "inner", "out", "shared"]  # the shared layer once, no Input


def test_clone_on_given_input_tensors():
    features = minilib.Input(shape=(4,), name="given")
    clone = clone_model(functional(), input_tensors=[features])
    assert clone.inputs[0] is features
    sequential_clone = clone_model(sequential(), input_tensors=minilib.Input(shape=(4,)))
    assert sequential_clone.predict(X, verbose=0).shape == (6, 2)
    with pytest.raises(ValueError, match="1 input.*holds 2"):
        clone_model(functional(), input_tensors=[features, minilib.Input(shape=(4,))])
    with pytest.raises(ValueError, match="symbolic tensors"):
        clone_model(functional(), input_tensors=[X])


def test_clone_of_a_compiled_model_is_compiled_with_a_new_optimizer():
    model = sequential()
    model.compile(optimizer=minilib.optimizers.Adam(0.01),
                  loss=minilib.losses.MeanSquaredError(), metrics=["mae"])
    clone = clone_model(model)
    assert clone.compiled and clone.optimizer is not model.optimizer
    assert isinstance(clone.optimizer, minilib.optimizers.Adam)
    assert clone.optimizer.learning_rate == pytest.approx(0.01)
    assert isinstance(clone.loss, minilib.losses.MeanSquaredError) and clone.loss is not model.loss


@minilib.saving.register_keras_serializable(package="cloning_test")
class TwoLayers(minilib.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.first, self.second = layers.Dense(units), layers.Dense(1)

    def call(self, inputs):
        return self.second(self.first(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_subclassed_model_is_cloned_through_its_config():
    model = TwoLayers(units=5)
    model(X)
    clone = clone_model(model)
    assert isinstance(clone, TwoLayers) and clone.units == 5
    assert clone.first.kernel.shape == (4, 5) and clone.first.kernel is not model.first.kernel
    with pytest.raises(ValueError, match="only for Sequential and functional"):
        clone_model(model, clone_function=lambda layer: layer)


def test_to_json_and_model_from_json():
    model = functional()
    text = model.to_json()
    saved = json.loads(text)
    assert saved["module"] == "keras.src.models.functional"
    assert saved["class_name"] == "Functional" and saved["config"]["name"] == "graph"
    assert model.to_json(indent=2) != text and json.loads(model.to_json(indent=2)) == saved
    rebuilt = model_from_json(text)
    assert rebuilt.to_json() == text
    rebuilt.set_weights(model.get_weights())
    np.testing.assert_allclose(rebuilt.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)


def test_model_from_json_of_a_compiled_model_is_compiled_as_in_keras():
    model = sequential()
    model.compile(optimizer="adam", loss="mse")
    rebuilt = model_from_json(model.to_json())
    assert rebuilt.compiled and rebuilt.loss == "mse"
    assert isinstance(rebuilt.optimizer, minilib.optimizers.Adam)


def test_model_from_json_rejects_what_is_not_a_model():
    with pytest.raises(ValueError, match="not valid JSON"):
        model_from_json("{'single': 'quotes'}")
    with pytest.raises(ValueError, match="the JSON of one model"):
        model_from_json("[1, 2]")


def test_layers_serialize_and_deserialize():
    layer = layers.Dense(3, activation="relu", name="d")
    config = layers.serialize(layer)
    assert (config["module"], config["class_name"]) == ("keras.layers", "Dense")
    rebuilt = layers.deserialize(json.loads(json.dumps(config)))
    assert isinstance(rebuilt, layers.Dense) and rebuilt.get_config() == layer.get_config()
    with pytest.raises(ValueError, match="expects the config of a layer.*Adam"):
        layers.deserialize(minilib.saving.serialize_keras_object(minilib.optimizers.Adam()))


def test_layers_deserialize_accepts_a_keras_dense_config():
    # What Keras 3.15 writes for Dense(2): options minilib lacks hold their neutral values.
    keras_config = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
                    "config": {"name": "dense", "trainable": True, "dtype": "float32",
                               "units": 2, "activation": "linear", "use_bias": True,
                               "kernel_initializer": "glorot_uniform",
                               "bias_initializer": "zeros", "kernel_regularizer": None,
                               "bias_regularizer": None, "kernel_constraint": None,
                               "bias_constraint": None, "quantization_config": None}}
    assert layers.deserialize(keras_config).units == 2


@pytest.mark.slow
@pytest.mark.parametrize("name", EXCHANGED)
def test_json_from_keras_loads_in_minilib(keras_exchange, name):
    model = model_from_json((keras_exchange / f"keras/{name}.json").read_text())
    model.load_weights(keras_exchange / f"keras/{name}.weights.h5")
    assert_same_outputs(predictions(model, name), keras_exchange / f"keras/{name}.npz")


@pytest.mark.slow
@pytest.mark.parametrize("name", EXCHANGED)
def test_json_from_minilib_loads_in_keras(keras_exchange, name):
    assert_same_outputs(dict(np.load(keras_exchange / f"keras_reads/{name}.json.npz")),
                        keras_exchange / f"minilib/{name}.npz")

