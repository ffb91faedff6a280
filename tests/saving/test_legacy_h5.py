"""Whole models in the legacy `.h5` format, which Keras 3 still writes for a `.h5` path.

First the guide's example (save, load, resume training), then the file's layout
as Keras 3.15's legacy writer makes it, your own objects, ModelCheckpoint,
atomic writes and bad files. The last tests exchange `.h5` files both ways with
real Keras 3 (see `conftest`): what one library writes, the other loads and
predicts the same with.
"""

import json
import os

import h5py
import numpy as np
import pytest
import torch

import minilib
from minilib import layers
from minilib.callbacks import LambdaCallback, ModelCheckpoint
from minilib.saving import custom_object_scope, load_model, register_keras_serializable
from tests.porting import model_zoo
from tests.saving.conftest import EXCHANGED, assert_same_outputs, predictions

pytestmark = pytest.mark.filterwarnings("ignore:Saving model .* legacy HDF5 format")

RNG = np.random.default_rng(5)
X, Y = RNG.random((64, 8), dtype="float32"), RNG.random((64, 1), dtype="float32")


def guide_model():
    inputs = minilib.Input(shape=(8,))
    model = minilib.Model(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer="adam", loss="mean_squared_error")
    return model


def batch_norm_model():
    inputs = minilib.Input(shape=(8,), name="x")
    hidden = layers.BatchNormalization(name="bn")(layers.Dense(3, activation="relu",
                                                               name="d1")(inputs))
    model = minilib.Model(inputs, layers.Dense(1, name="d2")(hidden), name="fm")
    model.compile(optimizer=minilib.optimizers.Adam(0.01, name="adam"),
                  loss=minilib.losses.MeanSquaredError(), metrics=["mae"])
    return model


def test_save_load_and_resume_training(tmp_path):
    model = guide_model()
    model.fit(X, Y, epochs=1, batch_size=16, verbose=0)
    with pytest.warns(UserWarning, match="legacy HDF5 format"):
        model.save(tmp_path / "my_h5_model.h5")
    reconstructed = load_model(tmp_path / "my_h5_model.h5")
    np.testing.assert_allclose(reconstructed.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)
    # Compiled, with the optimizer's state: training goes on exactly as it would have.
    assert reconstructed.compiled and reconstructed.loss == "mean_squared_error"
    assert int(reconstructed.optimizer.iterations) == 4
    for model_ in (model, reconstructed):
        model_.fit(X, Y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    for original, loaded in zip(model.get_weights(), reconstructed.get_weights(), strict=True):
        np.testing.assert_allclose(loaded, original, rtol=1e-6, atol=1e-7)


def attribute_names(group, key):
    return [name.decode() for name in group.attrs[key]]


def test_file_layout_is_keras_legacy_layout(tmp_path):
    model = batch_norm_model()
    model.fit(X, Y, epochs=1, batch_size=32, verbose=0)
    model.save(tmp_path / "model.h5")
    with h5py.File(tmp_path / "model.h5") as file:
        assert (file.attrs["keras_version"], file.attrs["backend"]) == ("3.15.1", "torch")
        config = json.loads(file.attrs["model_config"])
        assert config["class_name"] == "Functional" and config["config"]["name"] == "fm"
        dense = config["config"]["layers"][1]
        assert sorted(dense) == ["class_name", "config", "inbound_nodes", "name"]  # no module
        assert dense["class_name"] == "Dense" and dense["config"]["units"] == 3
        weights = file["model_weights"]
        assert attribute_names(weights, "layer_names") == ["x", "d1", "bn", "d2"]
        assert attribute_names(weights["bn"], "weight_names") == \
            ["bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance"]
        np.testing.assert_array_equal(weights["d1/d1/kernel"],
                                      model.get_layer("d1").kernel.detach().numpy())
        assert list(weights["x"].attrs["weight_names"]) == []
        assert list(weights["top_level_model_weights"].attrs["weight_names"]) == []
        training = json.loads(file.attrs["training_config"])
        assert training["loss"]["class_name"] == "MeanSquaredError"
        assert training["metrics"] == ["mae"]
        assert training["optimizer_config"]["class_name"] == "Adam"
        assert training["optimizer_config"]["config"]["learning_rate"] == pytest.approx(0.01)
        names = attribute_names(file["optimizer_weights"], "weight_names")
        assert names[:3] == ["adam/iteration", "adam/learning_rate", "adam/d1_kernel_momentum"]
        assert len(names) == len(model.optimizer.variables) == 2 + 2 * 6


def test_uncompiled_model_and_compile_false(tmp_path):
    model = minilib.Sequential([minilib.Input(shape=(8,)), layers.Dense(2)])
    model.save(tmp_path / "plain.h5")
    with h5py.File(tmp_path / "plain.h5") as file:
        assert "training_config" not in file.attrs and "optimizer_weights" not in file
        assert json.loads(file.attrs["model_config"])["class_name"] == "Sequential"
    assert not load_model(tmp_path / "plain.h5").compiled
    compiled = batch_norm_model()
    compiled.save(tmp_path / "compiled.hdf5")
    assert not load_model(tmp_path / "compiled.hdf5", compile=False).compiled


@register_keras_serializable(package="legacy_test", name="cubed")
def cube(x):
    return x * x * x


class Offset(layers.Layer):  # not registered: loading must be told about it
    def build(self, input_shape):
        self.offset = self.add_weight(shape=(input_shape[-1],), initializer="random_normal")

    def call(self, inputs):
        return inputs + self.offset


@register_keras_serializable(package="legacy_test")
class Halve(layers.Layer):
    def call(self, inputs):
        return inputs / 2


def test_your_own_objects_in_an_h5_file(tmp_path):
    model = minilib.Sequential([minilib.Input(shape=(8,)), layers.Dense(3, activation=cube),
                                Offset(), Halve()])
    model.save(tmp_path / "custom.h5")
    with h5py.File(tmp_path / "custom.h5") as file:
        saved = json.loads(file.attrs["model_config"])["config"]["layers"]
    assert [entry["class_name"] for entry in saved] == \
        ["InputLayer", "Dense", "Offset", "legacy_test>Halve"]
    with pytest.raises(ValueError, match="Unknown class 'Offset'.*custom_objects"):
        load_model(tmp_path / "custom.h5")
    with custom_object_scope({"Offset": Offset}):
        in_scope = load_model(tmp_path / "custom.h5")
    loaded = load_model(tmp_path / "custom.h5", custom_objects={"Offset": Offset})
    for reloaded in (in_scope, loaded):
        assert reloaded.layers[0].activation is cube
        np.testing.assert_allclose(reloaded.predict(X, verbose=0), model.predict(X, verbose=0),
                                   rtol=1e-6)


def test_model_checkpoint_keeps_the_best_model_in_h5(tmp_path):
    model = batch_norm_model()
    path = tmp_path / "best_model.h5"
    seen = []  # (val_loss, predictions) at the end of every epoch
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(
        (logs["val_loss"], model.predict(X, verbose=0))))
    checkpoint = ModelCheckpoint(str(path), monitor="val_loss", save_best_only=True)
    model.fit(X[:48], Y[:48], validation_data=(X[48:], Y[48:]), epochs=4, batch_size=16,
              verbose=0, callbacks=[checkpoint, record])
    best = min(seen, key=lambda pair: pair[0])[1]
    np.testing.assert_allclose(load_model(path).predict(X, verbose=0), best, rtol=1e-6)
    with pytest.raises(ValueError, match="must end in '.keras' \\(or '.h5'"):
        ModelCheckpoint(str(tmp_path / "best.weights.h5"))


def test_failed_save_leaves_the_previous_file_whole(tmp_path):
    path = tmp_path / "model.h5"
    model = guide_model()
    model.save(path)
    unsavable = minilib.Sequential([minilib.Input(shape=(8,)), layers.Lambda(torch.sin)])
    with pytest.raises(NotImplementedError, match="Lambda"):
        unsavable.save(path)
    assert sorted(os.listdir(tmp_path)) == ["model.h5"]  # no temporary file left behind
    np.testing.assert_allclose(load_model(path).predict(X, verbose=0),
                               model.predict(X, verbose=0), rtol=1e-6)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        model.save(path, overwrite=False)


def test_load_weights_from_a_legacy_model_file(tmp_path):
    model = batch_norm_model()
    model.fit(X, Y, epochs=1, verbose=0)
    model.save(tmp_path / "model.h5")
    fresh = batch_norm_model()
    fresh.load_weights(tmp_path / "model.h5")
    np.testing.assert_allclose(fresh.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)
    smaller = minilib.Sequential([minilib.Input(shape=(8,)), layers.Dense(1)])
    with pytest.raises(ValueError, match=r"weights for 3 layer\(s\) \(d1, bn, d2\), the model "
                                         r"has 1 layer\(s\)"):
        smaller.load_weights(tmp_path / "model.h5")


def test_files_that_are_not_legacy_models(tmp_path):
    with h5py.File(tmp_path / "data.h5", "w") as file:
        file["measurements"] = np.arange(3)
    with pytest.raises(ValueError, match="data.h5' is an HDF5 file but holds no model"):
        load_model(tmp_path / "data.h5")
    guide_model().save(tmp_path / "linked.h5")
    with h5py.File(tmp_path / "linked.h5", "a") as file:
        layer = attribute_names(file["model_weights"], "layer_names")[1]
        del file["model_weights"][layer]
        file["model_weights"][layer] = h5py.SoftLink("/model_weights/top_level_model_weights")
    with pytest.raises(ValueError, match="is a link"):
        load_model(tmp_path / "linked.h5")
    with pytest.raises(ValueError, match=r"must end in `\.keras` \(or `\.h5`"):
        load_model(tmp_path / "model.weights.h5")


@pytest.mark.slow
@pytest.mark.parametrize("name", EXCHANGED)
def test_h5_from_keras_loads_in_minilib(keras_exchange, name):
    model = load_model(keras_exchange / f"keras/{name}.h5")
    assert_same_outputs(predictions(model, name), keras_exchange / f"keras/{name}.npz")


@pytest.mark.slow
@pytest.mark.parametrize("name", EXCHANGED)
def test_h5_from_minilib_loads_in_keras(keras_exchange, name):
    assert_same_outputs(dict(np.load(keras_exchange / f"keras_reads/{name}.h5.npz")),
                        keras_exchange / f"minilib/{name}.npz")


@pytest.mark.slow
def test_compiled_h5_from_keras_restores_the_optimizer(keras_exchange):
    model = load_model(keras_exchange / "keras/classifier.h5")
    assert isinstance(model.loss, minilib.losses.SparseCategoricalCrossentropy)
    assert isinstance(model.optimizer, minilib.optimizers.Adam)
    saved = np.load(keras_exchange / "keras/classifier_optimizer.npz")
    assert len(model.optimizer.variables) == len(saved.files) == 2 + 2 * 4
    for variable, name in zip(model.optimizer.variables, saved.files, strict=True):
        np.testing.assert_allclose(variable.detach().numpy(), saved[name], rtol=1e-6)
    expected = json.loads((keras_exchange / "keras/classifier_evaluation.json").read_text())
    found = model.evaluate(*model_zoo.training_data(), return_dict=True, verbose=0)
    assert sorted(found) == sorted(expected) == ["accuracy", "loss"]
    for key, value in expected.items():
        assert found[key] == pytest.approx(value, rel=1e-5)


@pytest.mark.slow
def test_compiled_h5_from_minilib_loads_compiled_in_keras(keras_exchange):
    facts = json.loads((keras_exchange / "keras_reads/classifier_facts.json").read_text())
    assert facts == {"compiled": True, "optimizer": "Adam", "learning_rate": 2**-7,
                     "iterations": 8, "loss": "SparseCategoricalCrossentropy"}
