"""Keras's guide "Save, serialize, and export models", retold with `import minilib as keras`.

The tests follow the guide's sections in order, on small random arrays: whole-model
`.keras` files, the three ways to make custom objects known at load time, configs and
JSON, `serialize_keras_object`, weight transfer in memory and through `.weights.h5`
files, and the appendix on `get_config`/`from_config` for custom layers.
"""

import json

import numpy as np
import pytest
import torch

import minilib as keras
from minilib import ops


@pytest.fixture
def empty_registry():
    """The guide clears the global registry; put back what other tests registered."""
    registry = keras.saving.get_custom_objects()
    saved = dict(registry)
    registry.clear()
    yield registry
    registry.clear()
    registry.update(saved)


def regression_model():
    inputs = keras.Input(shape=(32,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.Adam(), loss="mean_squared_error")
    return model


def test_a_keras_file_holds_the_architecture_weights_and_optimizer(tmp_path):
    rng = np.random.default_rng(0)
    features, targets = rng.random((16, 32)), rng.random((16, 1))
    model = regression_model()
    model.fit(features, targets, verbose=0)
    model.save(tmp_path / "my_model.keras")

    restored = keras.models.load_model(tmp_path / "my_model.keras")
    np.testing.assert_allclose(model.predict(features, verbose=0),
                               restored.predict(features, verbose=0))
    assert type(restored.optimizer).__name__ == "Adam"
    assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 1


def define_custom_objects():
    """The guide's scaling layer and squaring activation, registered under packages."""

    @keras.saving.register_keras_serializable(package="MyLayers")
    class CustomLayer(keras.layers.Layer):
        def __init__(self, factor):
            super().__init__()
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {"factor": self.factor}

    @keras.saving.register_keras_serializable(package="my_package", name="custom_fn")
    def custom_fn(x):
        return x**2

    return CustomLayer, custom_fn


def trained_custom_model(custom_layer, custom_fn):
    inputs = keras.Input(shape=(4,))
    outputs = keras.layers.Dense(1, activation=custom_fn)(custom_layer(0.5)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="rmsprop", loss="mean_squared_error")
    rng = np.random.default_rng(1)
    model.fit(rng.random((4, 4)), rng.random((4, 1)), verbose=0)
    return model


def test_custom_objects_by_registration_argument_or_scope(tmp_path, empty_registry):
    CustomLayer, custom_fn = define_custom_objects()
    assert set(empty_registry) == {"MyLayers>CustomLayer", "my_package>custom_fn"}
    probe = np.random.default_rng(2).random((4, 4))
    path = tmp_path / "custom_model.keras"

    model = trained_custom_model(CustomLayer, custom_fn)
    model.save(path)
    registered = keras.models.load_model(path)  # registration alone is enough
    np.testing.assert_allclose(model.predict(probe, verbose=0),
                               registered.predict(probe, verbose=0))
    assert registered.layers[1].factor == 0.5

    plain_names = {"CustomLayer": CustomLayer, "custom_fn": custom_fn}
    passed = keras.models.load_model(path, custom_objects=plain_names)
    with keras.saving.custom_object_scope(plain_names):
        scoped = keras.models.load_model(path)
    # With the registry empty, the file's names "MyLayers>CustomLayer" and
    # "my_package>custom_fn" are needed: the plain names fail in Keras 3.15 as here.
    empty_registry.clear()
    with pytest.raises(ValueError, match="my_package>custom_fn"):
        keras.models.load_model(path, custom_objects=plain_names)
    by_registered_name = keras.models.load_model(path, custom_objects={
        "MyLayers>CustomLayer": CustomLayer, "my_package>custom_fn": custom_fn})
    for restored in (passed, scoped, by_registered_name):
        np.testing.assert_allclose(model.predict(probe, verbose=0),
                                   restored.predict(probe, verbose=0))


def test_clone_model_copies_the_architecture_with_fresh_weights():
    model = regression_model()
    clone = keras.models.clone_model(model)
    assert [type(layer) for layer in clone.layers] == [type(layer) for layer in model.layers]
    assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]
    assert not np.allclose(clone.layers[1].get_weights()[0], model.layers[1].get_weights()[0])


def test_configs_rebuild_layers_sequential_and_functional_models():
    layer = keras.layers.Dense(3, activation="relu")
    layer_config = layer.get_config()
    assert (layer_config["units"], layer_config["activation"]) == (3, "relu")
    assert keras.layers.Dense.from_config(layer_config).get_config() == layer_config

    sequential = keras.Sequential([keras.Input((32,)), keras.layers.Dense(1)])
    rebuilt = keras.Sequential.from_config(sequential.get_config())
    assert rebuilt.output_shape == (None, 1) and len(rebuilt.weights) == 2

    inputs = keras.Input((32,))
    functional = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    rebuilt = keras.Model.from_config(functional.get_config())
    assert rebuilt.input_shape == (None, 32) and rebuilt.output_shape == (None, 1)


def test_to_json_and_model_from_json():
    model = keras.Sequential([keras.Input((32,)), keras.layers.Dense(1)])
    json_config = model.to_json()
    assert json.loads(json_config)["class_name"] == "Sequential"
    rebuilt = keras.models.model_from_json(json_config)
    assert [type(layer).__name__ for layer in rebuilt.layers] == ["Dense"]
    assert rebuilt.output_shape == (None, 1)


def test_any_keras_object_serializes_to_module_class_config_and_registered_name():
    config = keras.saving.serialize_keras_object(keras.regularizers.L1(0.005))
    assert set(config) == {"module", "class_name", "config", "registered_name"}
    assert (config["module"], config["class_name"]) == ("keras.regularizers", "L1")
    assert config["registered_name"] is None
    new_regularizer = keras.saving.deserialize_keras_object(config)
    assert isinstance(new_regularizer, keras.regularizers.L1)
    np.testing.assert_allclose(new_regularizer.l1, 0.005, rtol=1e-6)


def dense_named(name):
    layer = keras.layers.Dense(64, activation="relu", name=name)
    layer.build((None, 784))
    return layer


def three_layer_mlp(dropout=False):
    inputs = keras.Input(shape=(784,), name="digits")
    x = keras.layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = keras.layers.Dense(64, activation="relu", name="dense_2")(x)
    if dropout:
        x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(10, name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="3_layer_mlp")


class SubclassedMLP(keras.Model):
    """The same three Dense layers as `three_layer_mlp`, written as a subclass."""

    def __init__(self, output_dim, name=None):
        super().__init__(name=name)
        self.output_dim = output_dim
        self.dense_1 = keras.layers.Dense(64, activation="relu", name="dense_1")
        self.dense_2 = keras.layers.Dense(64, activation="relu", name="dense_2")
        self.dense_3 = keras.layers.Dense(output_dim, name="predictions")

    def call(self, inputs):
        return self.dense_3(self.dense_2(self.dense_1(inputs)))

    def get_config(self):
        return {"output_dim": self.output_dim, "name": self.name}


def test_weights_move_in_memory_between_compatible_layers_and_models():
    first, second = dense_named("dense_2"), dense_named("dense_2")
    second.set_weights(first.get_weights())
    for a, b in zip(first.weights, second.weights, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())

    functional_model = three_layer_mlp()
    subclassed_model = SubclassedMLP(10)
    subclassed_model(np.ones((1, 784)))  # creates the weights
    subclassed_model.set_weights(functional_model.get_weights())
    assert len(functional_model.weights) == len(subclassed_model.weights) == 6
    for a, b in zip(functional_model.weights, subclassed_model.weights, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy())

    # Dropout holds no weights, so a model with an extra one still takes the same list.
    with_dropout = three_layer_mlp(dropout=True)
    with_dropout.set_weights(functional_model.get_weights())
    digits = np.random.default_rng(3).random((2, 784)).astype("float32")
    torch.testing.assert_close(with_dropout(digits), functional_model(digits))


def test_save_weights_and_load_weights_round_trip(tmp_path):
    def sequential_mlp():
        return keras.Sequential([
            keras.Input(shape=(784,), name="digits"),
            keras.layers.Dense(64, activation="relu", name="dense_1"),
            keras.layers.Dense(64, activation="relu", name="dense_2"),
            keras.layers.Dense(10, name="predictions"),
        ])

    model = sequential_mlp()
    model.save_weights(tmp_path / "my_model.weights.h5")
    other = sequential_mlp()
    other.load_weights(tmp_path / "my_model.weights.h5")
    for a, b in zip(model.get_weights(), other.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


class NestedDenseLayer(keras.layers.Layer):
    def __init__(self, units, name=None):
        super().__init__(name=name)
        self.dense_1 = keras.layers.Dense(units, name="dense_1")
        self.dense_2 = keras.layers.Dense(units, name="dense_2")

    def call(self, inputs):
        return self.dense_2(self.dense_1(inputs))


def test_freezing_a_nested_layer_keeps_the_weight_list_in_order():
    nested_model = keras.Sequential([keras.Input((784,)), NestedDenseLayer(10, "nested")])
    names_before = [v.name for v in nested_model.weights]
    nested_model.get_layer("nested").dense_1.trainable = False
    names_after = [v.name for v in nested_model.weights]
    # Keras 3 (3.15, the guide's printout) keeps the order: kernel, bias, kernel, bias.
    assert names_before == names_after == ["kernel", "bias", "kernel", "bias"]
    assert len(nested_model.trainable_weights) == 2


def test_transfer_learning_reuses_layers_of_a_loaded_model(tmp_path):
    three_layer_mlp().save_weights(tmp_path / "pretrained.weights.h5")
    pretrained_model = three_layer_mlp()
    pretrained_model.load_weights(tmp_path / "pretrained.weights.h5")

    extracted_layers = pretrained_model.layers[:-1]
    extracted_layers.append(keras.layers.Dense(5, name="dense_3"))
    model = keras.Sequential(extracted_layers)
    lines = []
    model.summary(print_fn=lines.append)
    assert any("54,725" in line for line in lines)  # 50,240 + 4,160 + 325
    assert model.layers[0] is pretrained_model.get_layer("dense_1")  # the same, shared layer
    assert model.output_shape == (None, 5)


def define_my_dense():
    @keras.saving.register_keras_serializable(package="MyLayers", name="KernelMult")
    class MyDense(keras.layers.Layer):
        def __init__(self, units, *, kernel_regularizer=None, kernel_initializer=None,
                     nested_model=None, **kwargs):
            super().__init__(**kwargs)
            self.hidden_units = units
            self.kernel_regularizer = kernel_regularizer
            self.kernel_initializer = kernel_initializer
            self.nested_model = nested_model

        def get_config(self):
            config = super().get_config()
            config.update({"units": self.hidden_units,
                           "kernel_regularizer": self.kernel_regularizer,
                           "kernel_initializer": self.kernel_initializer,
                           "nested_model": self.nested_model})
            return config

        def build(self, input_shape):
            self.kernel = self.add_weight(name="kernel",
                                          shape=(input_shape[-1], self.hidden_units),
                                          regularizer=self.kernel_regularizer,
                                          initializer=self.kernel_initializer)

        def call(self, inputs):
            return ops.matmul(inputs, self.kernel)

    return MyDense


def test_a_registered_layer_with_plain_arguments_needs_no_from_config(empty_registry):
    MyDense = define_my_dense()
    layer = MyDense(units=16, kernel_regularizer="l1", kernel_initializer="ones")
    outer = MyDense(units=64, nested_model=layer)
    config = keras.layers.serialize(outer)
    assert (config["module"], config["class_name"]) == (MyDense.__module__, "MyDense")
    assert config["registered_name"] == "MyLayers>KernelMult"
    assert config["config"]["nested_model"]["config"]["kernel_regularizer"] == "l1"

    new_layer = keras.layers.deserialize(config)
    assert isinstance(new_layer, MyDense) and new_layer.hidden_units == 64
    # The default from_config passes the nested dict through as it is, as in Keras.
    assert new_layer.nested_model["registered_name"] == "MyLayers>KernelMult"

    layer(np.ones((2, 3), dtype="float32"))  # "ones" kernel of shape (3, 16): l1 = 0.01 * 48
    np.testing.assert_allclose(sum(layer.losses).item(), 0.48, rtol=1e-6)


def test_a_layer_holding_layers_deserializes_them_in_from_config(empty_registry):
    MyDense = define_my_dense()

    @keras.saving.register_keras_serializable(package="ComplexModels")
    class CustomModel(keras.layers.Layer):
        def __init__(self, first_layer, second_layer=None, **kwargs):
            super().__init__(**kwargs)
            self.first_layer = first_layer
            self.second_layer = second_layer if second_layer is not None else (
                keras.layers.Dense(8))

        def get_config(self):
            config = super().get_config()
            config.update({"first_layer": self.first_layer, "second_layer": self.second_layer})
            return config

        @classmethod
        def from_config(cls, config):
            config["first_layer"] = keras.layers.deserialize(config["first_layer"])
            config["second_layer"] = keras.layers.deserialize(config["second_layer"])
            return cls(**config)

        def call(self, inputs):
            return self.first_layer(self.second_layer(inputs))

    inputs = keras.Input((32,))
    outputs = CustomModel(first_layer=MyDense(16, kernel_initializer="ones"))(inputs)
    model = keras.Model(inputs, outputs)
    new_model = keras.Model.from_config(model.get_config())
    rebuilt = new_model.layers[1]
    assert isinstance(rebuilt, CustomModel) and isinstance(rebuilt.first_layer, MyDense)
    assert rebuilt.second_layer.units == 8 and new_model.output_shape == (None, 16)


def test_a_registered_name_travels_with_a_built_in_regularizer(empty_registry):
    MyDense = define_my_dense()
    layer = MyDense(units=16, kernel_initializer="ones",
                    kernel_regularizer=keras.regularizers.L1L2(l1=1e-5, l2=1e-4))
    config = keras.layers.serialize(layer)
    assert config["registered_name"] == "MyLayers>KernelMult"
    regularizer = config["config"]["kernel_regularizer"]
    assert (regularizer["module"], regularizer["class_name"]) == ("keras.regularizers", "L1L2")
    np.testing.assert_allclose([regularizer["config"]["l1"], regularizer["config"]["l2"]],
                               [1e-5, 1e-4], rtol=1e-6)
