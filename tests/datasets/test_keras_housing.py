"""boston_housing and california_housing: seeded shuffle, test_split, version, dtypes."""

import numpy as np
import pytest

from minilib import datasets


def keras_order(count, seed):
    order = np.arange(count)
    np.random.RandomState(seed).shuffle(order)
    return order


@pytest.mark.parametrize(("test_split", "seed", "train_size"),
                         [(0.2, 113, 24), (0.25, 1, 22), (0.0, 113, 30)])
def test_boston_housing(origin, test_split, seed, train_size):
    (x_train, y_train), (x_test, y_test) = datasets.boston_housing.load_data(
        test_split=test_split, seed=seed)
    stored = origin.stored["boston_housing"]
    order = keras_order(30, seed)
    assert x_train.shape == (train_size, 13) and x_test.shape == (30 - train_size, 13)
    assert x_train.dtype == np.float64 and y_test.dtype == np.float64
    np.testing.assert_array_equal(np.concatenate([x_train, x_test]), stored["x"][order])
    np.testing.assert_array_equal(np.concatenate([y_train, y_test]), stored["y"][order])


@pytest.mark.parametrize(("version", "size", "train_size"), [("large", 650, 520),
                                                            ("small", 600, 480)])
def test_california_housing(origin, version, size, train_size):
    (x_train, y_train), (x_test, y_test) = datasets.california_housing.load_data(version)
    stored = origin.stored["california_housing"]
    order = keras_order(size, 113)
    assert x_train.shape == (train_size, 8) and y_test.shape == (size - train_size,)
    assert x_train.dtype == np.float32 and y_train.dtype == np.float32  # as stored
    np.testing.assert_array_equal(np.concatenate([x_train, x_test]), stored["x"][:size][order])
    np.testing.assert_array_equal(np.concatenate([y_train, y_test]), stored["y"][:size][order])


def test_bad_arguments_fail_before_any_download(origin):
    for test_split in (1.0, -0.1):
        with pytest.raises(ValueError, match=f"test_split must be .* got {test_split}"):
            datasets.boston_housing.load_data(test_split=test_split)
    with pytest.raises(ValueError, match=r"test_split must be .* got 1\.5"):
        datasets.california_housing.load_data(test_split=1.5)
    with pytest.raises(ValueError, match='version must be "large" or "small", got \'tiny\''):
        datasets.california_housing.load_data(version="tiny")
    assert origin.requests == []


def test_both_share_one_download_per_file(origin):
    datasets.california_housing.load_data("small")
    datasets.california_housing.load_data("large", seed=3)
    datasets.boston_housing.load_data()
    assert origin.requests == ["/tf-keras-datasets/california_housing.npz",
                               "/tf-keras-datasets/boston_housing.npz"]
