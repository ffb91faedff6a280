"""Loading a broken or foreign file raises a clear error that names the file and the problem."""

import json
import zipfile

import h5py
import numpy as np
import pytest

import minilib
from minilib import layers
from minilib.saving import load_model


class Unregistered(layers.Layer):
    def call(self, inputs):
        return inputs


def small_model():
    return minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(2)])


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.keras"
    small_model().save(path)
    return path


def rewrite_archive(path, replace=None, drop=()):
    """Rebuild the zip at `path`, dropping members or replacing their contents."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update(replace or {})
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            if name not in drop:
                archive.writestr(name, data)


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.keras"
    path.write_bytes(np.random.default_rng(0).bytes(2000))
    with pytest.raises(ValueError, match=r"noise\.keras' is not a valid \.keras file: it is "
                                         r"not a zip archive"):
        load_model(path)


def test_truncated_archive(saved):
    saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])
    with pytest.raises(ValueError, match=r"model\.keras.*(truncated|damaged)"):
        load_model(saved)


def test_archive_without_config(saved):
    rewrite_archive(saved, drop=["config.json"])
    with pytest.raises(ValueError, match=r"model\.keras' is not a complete \.keras file: it "
                                         r"has no config\.json"):
        load_model(saved)


def test_config_that_is_not_json(saved):
    rewrite_archive(saved, replace={"config.json": b"{not json"})
    with pytest.raises(ValueError, match=r"config\.json in '.*model\.keras' is not valid JSON"):
        load_model(saved)


def test_unknown_class_suggests_custom_objects(saved):
    with zipfile.ZipFile(saved) as archive:
        config = json.loads(archive.read("config.json"))
    config["config"]["layers"][1]["class_name"] = "MysteryLayer"
    rewrite_archive(saved, replace={"config.json": json.dumps(config)})
    with pytest.raises(ValueError, match=r"model\.keras.*Unknown class 'MysteryLayer'.*"
                                         r"custom_objects=\{'MysteryLayer'"):
        load_model(saved)


def test_custom_layer_left_out_of_custom_objects(tmp_path):
    path = tmp_path / "custom.keras"
    minilib.Sequential([minilib.Input(shape=(3,)), Unregistered()]).save(path)
    with pytest.raises(ValueError, match="Unknown class 'Unregistered'"):
        load_model(path)
    assert isinstance(load_model(path, custom_objects={"Unregistered": Unregistered}).layers[0],
                      Unregistered)


def test_weights_that_do_not_fit_the_config(saved):
    other = saved.with_name("other.keras")
    minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(5)]).save(other)
    with zipfile.ZipFile(other) as archive:
        foreign_weights = archive.read("model.weights.h5")
    rewrite_archive(saved, replace={"model.weights.h5": foreign_weights})
    with pytest.raises(ValueError, match=r"model\.weights\.h5 in '.*model\.keras' does not fit"):
        load_model(saved)


def test_wrong_suffixes_and_missing_files(tmp_path):
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        load_model(tmp_path / "model.weights.h5")
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        small_model().save(tmp_path / "model.txt")
    with pytest.raises(FileNotFoundError, match="nothing.keras"):
        load_model(tmp_path / "nothing.keras")


def test_h5_file_that_is_not_a_weights_file(tmp_path):
    path = tmp_path / "data.weights.h5"
    with h5py.File(path, "w") as file:
        file["measurements"] = np.arange(3)
    with pytest.raises(ValueError, match=r"data\.weights\.h5' is an HDF5 file but not a Keras 3 "
                                         r"weights file.*measurements"):
        small_model().load_weights(path)


def test_keras_2_file_is_recognised(tmp_path):
    path = tmp_path / "old.h5"
    with h5py.File(path, "w") as file:
        file.create_group("model_weights")
    with pytest.raises(ValueError, match="Keras 2"):
        small_model().load_weights(path)


def test_weights_file_of_random_bytes(tmp_path):
    path = tmp_path / "noise.weights.h5"
    path.write_bytes(np.random.default_rng(1).bytes(2000))
    with pytest.raises(ValueError, match=r"noise\.weights\.h5' is not a readable HDF5 file"):
        small_model().load_weights(path)
