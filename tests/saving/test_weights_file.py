"""save_weights / load_weights: the `.weights.h5` file, its layout and its checks."""

import h5py
import numpy as np
import pytest

import minilib
from minilib import layers

X = np.random.default_rng(2).standard_normal((4, 3)).astype("float32")


def mlp(hidden=4, extra_layer=False):
    stack = [minilib.Input(shape=(3,)), layers.Dense(hidden, activation="relu"), layers.Dense(2)]
    if extra_layer:
        stack.append(layers.Dense(2))
    return minilib.Sequential(stack)


def test_weights_round_trip_into_a_new_model(tmp_path):
    model = mlp()
    model.save_weights(tmp_path / "w.weights.h5")
    other = mlp()
    other.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(other.predict(X, verbose=0), model.predict(X, verbose=0))


def test_file_layout_is_keras_3(tmp_path):
    model = mlp()
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, np.zeros((4, 2)), verbose=0)
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5") as file:
        arrays = {}
        file.visititems(lambda name, item: arrays.update({name: item.shape})
                        if isinstance(item, h5py.Dataset) else None)
        assert file["vars"].attrs["name"] == model.name
        assert file["layers/dense_1/vars"].attrs["name"] == model.layers[1].name
    assert arrays["layers/dense/vars/0"] == (3, 4)  # paths use class names, not layer names
    assert arrays["layers/dense/vars/1"] == (4,)
    assert arrays["layers/dense_1/vars/0"] == (4, 2)
    # iteration, learning rate, then momentum and velocity for each of the 4 weights
    assert [arrays[f"optimizer/vars/{i}"] for i in range(10)] == \
        [(), (), (3, 4), (3, 4), (4,), (4,), (4, 2), (4, 2), (2,), (2,)]


def test_file_name_must_end_in_weights_h5(tmp_path):
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        mlp().save_weights(tmp_path / "w.h5")


def test_load_weights_from_a_keras_file(tmp_path):
    model = mlp()
    model.save(tmp_path / "model.keras")
    other = mlp()
    other.load_weights(tmp_path / "model.keras")
    np.testing.assert_array_equal(other.get_weights()[0], model.get_weights()[0])


def test_shape_mismatch_names_the_layer(tmp_path):
    mlp(hidden=4).save_weights(tmp_path / "w.weights.h5")
    other = mlp(hidden=5)
    name = other.layers[0].name
    with pytest.raises(ValueError, match=rf"layer '{name}' has weight 'kernel' of shape "
                                         r"\(3, 5\), but the file has shape \(3, 4\)"):
        other.load_weights(tmp_path / "w.weights.h5")


def test_missing_and_extra_layers_are_reported(tmp_path):
    mlp().save_weights(tmp_path / "small.weights.h5")
    bigger = mlp(extra_layer=True)
    with pytest.raises(ValueError, match=rf"layer '{bigger.layers[2].name}' has 2 weight"):
        bigger.load_weights(tmp_path / "small.weights.h5")
    bigger.save_weights(tmp_path / "big.weights.h5")
    with pytest.raises(ValueError, match=r"no layer of model .* takes: layers/dense_2/vars"):
        mlp().load_weights(tmp_path / "big.weights.h5")


def test_skip_mismatch_loads_what_fits(tmp_path):
    model = mlp(hidden=4)
    model.save_weights(tmp_path / "w.weights.h5")
    other = mlp(hidden=5)
    with pytest.warns(UserWarning, match="skipped layer"):
        other.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(other.layers[1].bias.numpy(), model.layers[1].bias.numpy())


def test_overwrite_false_refuses_to_replace(tmp_path):
    mlp().save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(FileExistsError):
        mlp().save_weights(tmp_path / "w.weights.h5", overwrite=False)


def test_unbuilt_model_cannot_save_weights(tmp_path):
    with pytest.raises(ValueError, match="no weights yet"):
        minilib.Sequential([layers.Dense(2)]).save_weights(tmp_path / "w.weights.h5")
