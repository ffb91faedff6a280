"""The generated MNIST-like digits: shapes, balance, variety, and a deterministic cache."""

import os

import numpy as np
import pytest

from minilib.datasets import glyph_digits
from minilib.datasets._cache import cached_arrays


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("minilib_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MINILIB_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def splits(cache_home):
    return glyph_digits.load_data()


def test_shapes_and_dtypes_like_mnist(splits):
    (x_train, y_train), (x_test, y_test) = splits
    assert x_train.shape == (10_000, 28, 28) and x_test.shape == (2_000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert y_train.shape == (10_000,) and y_test.shape == (2_000,)
    assert x_train.max() == 255 and x_train.min() == 0


def test_classes_are_balanced(splits):
    (_, y_train), (_, y_test) = splits
    counts = np.bincount(np.concatenate([y_train, y_test]), minlength=10)
    assert counts.tolist() == [1200] * 10
    assert np.all(np.bincount(y_train, minlength=10) > 900)


def test_images_differ_and_look_like_digits(splits):
    (x_train, y_train), _ = splits
    assert len(np.unique(x_train.reshape(len(x_train), -1), axis=0)) == len(x_train)
    ink = (x_train > 128).mean(axis=(1, 2))
    assert 0.02 < ink.min() and ink.max() < 0.6  # every image has a stroke, none is all ink
    # The border is mostly background: digits sit in the middle like MNIST's.
    assert x_train[:, :, :2].mean() < 10 and x_train[:, 10:18, 10:18].mean() > 50
    # Two digits differ more than two images of the same digit, on average.
    ones, zeros = x_train[y_train == 1][:200] / 255, x_train[y_train == 0][:200] / 255
    within = np.abs(ones[:100] - ones[100:]).mean()
    between = np.abs(ones[:100] - zeros[:100]).mean()
    assert between > within


def test_second_load_reads_the_cache(splits, cache_home, monkeypatch):
    assert os.listdir(cache_home / "datasets") == [f"glyph_digits_v{glyph_digits.VERSION}.npz"]
    monkeypatch.setattr(glyph_digits, "_generate", lambda: pytest.fail("generated twice"))
    (x_train, y_train), (x_test, _) = glyph_digits.load_data()
    np.testing.assert_array_equal(x_train, splits[0][0])
    np.testing.assert_array_equal(x_test, splits[1][0])


def test_fresh_cache_gives_the_same_arrays(splits, tmp_path, monkeypatch):
    monkeypatch.setenv("MINILIB_HOME", str(tmp_path))
    (x_train, y_train), (x_test, y_test) = glyph_digits.load_data()
    np.testing.assert_array_equal(x_train, splits[0][0])
    np.testing.assert_array_equal(y_test, splits[1][1])


def test_a_corrupted_cache_file_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("MINILIB_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "numbers.npz").write_bytes(b"not an npz file")
    arrays = cached_arrays("numbers", lambda: {"x": np.arange(3)})
    np.testing.assert_array_equal(arrays["x"], [0, 1, 2])
    again = cached_arrays("numbers", lambda: pytest.fail("made twice"))
    np.testing.assert_array_equal(again["x"], [0, 1, 2])
    assert os.listdir(tmp_path / "datasets") == ["numbers.npz"]  # no temporary files left
