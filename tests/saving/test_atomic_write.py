"""A save that fails half-way leaves the previous file exactly as it was, and no litter."""

import os

import pytest

import minilib
from minilib import layers
from minilib.saving import keras_file, saving_api
from minilib.saving.atomic_write import atomic_write


class BrokenConfig(layers.Layer):
    def get_config(self):
        raise RuntimeError("get_config failed")


def small_model(*extra):
    return minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(2), *extra])


def write_half_then_fail(model, h5_file):
    h5_file.create_group("vars")["0"] = [1.0, 2.0]
    raise RuntimeError("disk full")


def test_failed_serialization_keeps_the_old_model_file(tmp_path):
    path = tmp_path / "model.keras"
    small_model().save(path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="get_config failed"):
        small_model(BrokenConfig()).save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.keras"]
    minilib.models.load_model(path)


def test_failure_while_writing_weights_keeps_the_old_model_file(tmp_path, monkeypatch):
    path = tmp_path / "model.keras"
    small_model().save(path)
    before = path.read_bytes()
    monkeypatch.setattr(keras_file, "write_weights", write_half_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        small_model().save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.keras"]


def test_failure_while_writing_a_weights_file_keeps_the_old_one(tmp_path, monkeypatch):
    path = tmp_path / "w.weights.h5"
    small_model().save_weights(path)
    before = path.read_bytes()
    monkeypatch.setattr(saving_api, "write_weights", write_half_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        small_model().save_weights(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["w.weights.h5"]


def test_failed_first_save_creates_nothing(tmp_path):
    with pytest.raises(RuntimeError):
        small_model(BrokenConfig()).save(tmp_path / "model.keras")
    assert os.listdir(tmp_path) == []


def test_atomic_write_replaces_only_when_complete(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("old")
    with atomic_write(path) as file:
        file.write(b"new")
        assert path.read_text() == "old"  # the real name still holds the old contents
    assert path.read_text() == "new"
