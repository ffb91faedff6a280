"""A saved compiled model comes back compiled, and training continues exactly where it stopped."""

import numpy as np
import pytest

import minilib
from minilib import layers, losses, metrics, optimizers
from minilib.saving import load_model, register_keras_serializable

RNG = np.random.default_rng(1)
X = RNG.standard_normal((12, 3)).astype("float32")
Y = RNG.standard_normal((12, 1)).astype("float32")


def small_model():
    return minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(4, activation="relu"),
                               layers.Dense(1)])


def train(model, epochs):
    model.fit(X, Y, epochs=epochs, batch_size=4, shuffle=False, verbose=0)


def assert_same_weights(first, second):
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_compile_settings_come_back(tmp_path):
    model = small_model()
    model.compile(optimizer=optimizers.Adam(learning_rate=0.01, beta_1=0.8),
                  loss=losses.Huber(delta=0.5),
                  metrics=["mae", metrics.RootMeanSquaredError(name="rmse")])
    train(model, 1)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    assert loaded.compiled
    assert type(loaded.optimizer) is optimizers.Adam
    # The learning rate is stored as a float32 variable, hence approx.
    assert loaded.optimizer.get_config() == pytest.approx(model.optimizer.get_config())
    assert isinstance(loaded.loss, losses.Huber) and loaded.loss.delta == 0.5
    assert loaded.evaluate(X, Y, verbose=0, return_dict=True) == \
        model.evaluate(X, Y, verbose=0, return_dict=True)


def test_training_continues_identically_after_save_and_load(tmp_path):
    minilib.utils.set_random_seed(3)
    model = small_model()
    # 2**-7 is exact in float32: the loaded optimizer reads its learning rate back from a
    # float32 variable, so a rate like 0.01 would come back 1 ulp off.
    model.compile(optimizer=optimizers.Adam(learning_rate=2**-7), loss="mse")
    train(model, 2)
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras")
    assert int(loaded.optimizer.iterations) == int(model.optimizer.iterations) == 6
    train(model, 2)
    train(loaded, 2)
    assert_same_weights(model, loaded)


def test_weights_file_carries_optimizer_state(tmp_path):
    model = small_model()
    model.compile(optimizer=optimizers.RMSprop(learning_rate=2**-7), loss="mse")
    train(model, 2)
    model.save_weights(tmp_path / "checkpoint.weights.h5")
    fresh = small_model()
    fresh.compile(optimizer=optimizers.RMSprop(learning_rate=2**-7), loss="mse")
    fresh.load_weights(tmp_path / "checkpoint.weights.h5")
    train(model, 1)
    train(fresh, 1)
    assert_same_weights(model, fresh)


def test_compile_false_gives_an_uncompiled_model(tmp_path):
    model = small_model()
    model.compile(optimizer="sgd", loss="mse")
    model.save(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras", compile=False)
    assert not loaded.compiled and loaded.optimizer is None
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))


def my_loss(y_true, y_pred):
    return minilib.ops.mean(minilib.ops.abs(y_true - y_pred), axis=-1)


@register_keras_serializable(package="tests")
def registered_loss(y_true, y_pred):
    return minilib.ops.mean(minilib.ops.square(y_true - y_pred), axis=-1)


def test_custom_loss_function_needs_custom_objects(tmp_path):
    model = small_model()
    model.compile(optimizer="sgd", loss=my_loss)
    model.save(tmp_path / "model.keras")
    with pytest.raises(ValueError, match=r"my_loss.*custom_objects"):
        load_model(tmp_path / "model.keras")
    loaded = load_model(tmp_path / "model.keras", custom_objects={"my_loss": my_loss})
    assert loaded.loss is my_loss


def test_registered_loss_function_is_found(tmp_path):
    model = small_model()
    model.compile(optimizer="sgd", loss=registered_loss)
    model.save(tmp_path / "model.keras")
    assert load_model(tmp_path / "model.keras").loss is registered_loss
