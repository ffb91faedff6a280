"""mnist, fashion_mnist, cifar10, cifar100 read the real formats, cache like Keras, check hashes.

The `origin` fixture (conftest.py) serves tiny files in the real formats on 127.0.0.1.
"""

import gzip
import os

import numpy as np
import pytest

from minilib import datasets
from minilib.datasets import _keras_files


def assert_exactly(array, expected, dtype):
    assert array.dtype == dtype and array.shape == expected.shape
    np.testing.assert_array_equal(array, expected)


def test_mnist(origin):
    (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data()
    stored = origin.stored["mnist"]
    assert_exactly(x_train, stored["x_train"], np.uint8)
    assert_exactly(y_train, stored["y_train"], np.uint8)
    assert_exactly(x_test, stored["x_test"], np.uint8)
    assert_exactly(y_test, stored["y_test"], np.uint8)
    assert origin.requests == ["/tf-keras-datasets/mnist.npz"]
    assert os.path.isfile(origin.keras_home / "datasets" / "mnist.npz")


def test_second_call_reads_the_cache_and_path_renames_the_cached_file(origin):
    first = datasets.mnist.load_data()
    second = datasets.mnist.load_data()
    np.testing.assert_array_equal(first[0][0], second[0][0])
    assert origin.requests == ["/tf-keras-datasets/mnist.npz"]
    datasets.mnist.load_data(path="digits-copy.npz")
    assert origin.requests == ["/tf-keras-datasets/mnist.npz"] * 2
    assert sorted(os.listdir(origin.keras_home / "datasets")) == ["digits-copy.npz", "mnist.npz"]


def test_fashion_mnist_reads_gzipped_idx_files(origin):
    (x_train, y_train), (x_test, y_test) = datasets.fashion_mnist.load_data()
    stored = origin.stored["fashion_mnist"]
    assert_exactly(x_train, stored["x_train"], np.uint8)
    assert_exactly(y_train, stored["y_train"], np.uint8)
    assert_exactly(x_test, stored["x_test"], np.uint8)
    assert_exactly(y_test, stored["y_test"], np.uint8)
    folder = origin.keras_home / "datasets" / "fashion-mnist"
    assert sorted(os.listdir(folder)) == sorted(datasets.fashion_mnist.FILES)
    x_train[0, 0, 0] = 7  # writable, unlike a view of the downloaded bytes
    datasets.fashion_mnist.load_data()
    assert len(origin.requests) == 4


def test_a_file_that_is_not_idx_is_refused(origin):
    (origin.folder / "tf-keras-datasets" / "t10k-images-idx3-ubyte.gz").write_bytes(
        gzip.compress(b"<html>Not found</html>"))
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz is not an IDX file"):
        datasets.fashion_mnist.load_data()


def test_cifar10_channels_last_with_uint8_column_labels(origin):
    (x_train, y_train), (x_test, y_test) = datasets.cifar10.load_data()
    stored = origin.stored["cifar10"]
    assert_exactly(x_train, stored["x_train"].transpose(0, 2, 3, 1), np.uint8)
    assert_exactly(y_train, stored["y_train"].reshape(-1, 1), np.uint8)
    assert_exactly(x_test, stored["x_test"].transpose(0, 2, 3, 1), np.uint8)
    assert_exactly(y_test, stored["y_test"].reshape(-1, 1), np.uint8)
    # Channels last: pixel (row 1, column 2) of image 0 is (red, green, blue) bytes
    # 32 + 2 of each 1024-byte plane of the stored row.
    row = stored["x_train"][0].reshape(3072)
    np.testing.assert_array_equal(x_train[0, 1, 2], row[[34, 1024 + 34, 2048 + 34]])
    datasets_folder = origin.keras_home / "datasets"
    assert sorted(os.listdir(datasets_folder)) == ["cifar-10-batches-py-target",
                                                   "cifar-10-batches-py-target_archive"]
    datasets.cifar10.load_data()
    assert origin.requests == ["/~kriz/cifar-10-python.tar.gz"]


@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_cifar100_label_modes(origin, label_mode):
    (x_train, y_train), (x_test, y_test) = datasets.cifar100.load_data(label_mode=label_mode)
    stored = origin.stored["cifar100"]
    assert_exactly(x_train, stored["x_train"].transpose(0, 2, 3, 1), np.uint8)
    assert_exactly(x_test, stored["x_test"].transpose(0, 2, 3, 1), np.uint8)
    assert_exactly(y_train, stored[f"{label_mode}_train"].reshape(-1, 1), np.int64)
    assert_exactly(y_test, stored[f"{label_mode}_test"].reshape(-1, 1), np.int64)
    assert origin.requests == ["/~kriz/cifar-100-python.tar.gz"]


def test_cifar100_rejects_an_unknown_label_mode_before_downloading(origin):
    with pytest.raises(ValueError, match='label_mode must be "fine" or "coarse", got \'all\''):
        datasets.cifar100.load_data(label_mode="all")
    assert origin.requests == []


def test_a_corrupted_download_fails_with_both_hashes_and_keeps_nothing(origin):
    served = origin.folder / "tf-keras-datasets" / "mnist.npz"
    expected = datasets.mnist.SHA256
    served.write_bytes(served.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ValueError) as error:
        datasets.mnist.load_data()
    message = str(error.value)
    assert "mnist.npz is corrupted or changed" in message and f"expected {expected}" in message
    assert os.listdir(origin.keras_home / "datasets") == []


def test_offline_error_names_the_address_and_where_to_put_the_file(origin, monkeypatch):
    monkeypatch.setattr(_keras_files, "CIFAR", "http://127.0.0.1:9/~kriz/")  # nobody listens
    with pytest.raises(OSError) as error:
        datasets.cifar10.load_data()
    target = origin.keras_home / "datasets" / "cifar-10-batches-py-target_archive"
    assert "Could not download http://127.0.0.1:9/~kriz/cifar-10-python.tar.gz" in str(error.value)
    assert f"save the file as {target}, then call again" in str(error.value)

    # Doing what the message says works without a network.
    target.write_bytes((origin.folder / "~kriz" / "cifar-10-python.tar.gz").read_bytes())
    (x_train, _), _ = datasets.cifar10.load_data()
    assert x_train.shape == (5, 32, 32, 3)
