"""CIFAR-10: 60,000 32x32 colour photos in 10 classes, as in `keras.datasets.cifar10`.

The labels are 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog,
7 horse, 8 ship and 9 truck.

The first call downloads `cifar-10-python.tar.gz` (163 MB) from the University of
Toronto and unpacks it in `~/.keras/datasets/cifar-10-batches-py-target/`. Images
come channels last (height, width, RGB). A small fraction of the labels are known
to be wrong.
"""

import os

import numpy as np

from minilib.datasets import _keras_files

SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_data():
    """Load CIFAR-10: 50,000 training and 10,000 test images.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape `(n, 32, 32, 3)`,
        values 0 to 255, and uint8 labels 0 to 9 of shape `(n, 1)`.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = (  # doctest: +SKIP
    ...     minilib.datasets.cifar10.load_data())
    >>> x_train.shape, y_train.shape, y_train.dtype  # doctest: +SKIP
    ((50000, 32, 32, 3), (50000, 1), dtype('uint8'))
    """
    folder = _keras_files.fetch("cifar-10-batches-py-target",
                                _keras_files.CIFAR + "cifar-10-python.tar.gz", SHA256,
                                extract=True)
    folder = os.path.join(folder, "cifar-10-batches-py")
    train = [_keras_files.read_cifar_batch(os.path.join(folder, f"data_batch_{i}"))
             for i in range(1, 6)]
    x_test, y_test = _keras_files.read_cifar_batch(os.path.join(folder, "test_batch"))
    x_train = np.concatenate([images for images, _ in train])
    y_train = np.concatenate([labels for _, labels in train])
    return ((x_train.transpose(0, 2, 3, 1), _as_column(y_train)),
            (x_test.transpose(0, 2, 3, 1), _as_column(y_test)))


def _as_column(labels):
    return np.asarray(labels, dtype="uint8").reshape(-1, 1)
