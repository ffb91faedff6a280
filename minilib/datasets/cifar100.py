"""CIFAR-100: 60,000 32x32 colour photos in 100 classes, as in `keras.datasets.cifar100`.

The 100 "fine" classes (apple, bicycle, ...) group into 20 "coarse" superclasses
(fruit and vegetables, vehicles 1, ...); `label_mode` picks which labels you get.

The first call downloads `cifar-100-python.tar.gz` (161 MB) from the University of
Toronto and unpacks it in `~/.keras/datasets/cifar-100-python-target/`.
"""

import os

import numpy as np

from minilib.datasets import _keras_files

SHA256 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode="fine"):
    """Load CIFAR-100: 50,000 training and 10,000 test images.

    Args:
        label_mode: `"fine"` for the 100 classes, `"coarse"` for the 20 superclasses.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape `(n, 32, 32, 3)`,
        values 0 to 255, and int64 labels of shape `(n, 1)` (Keras leaves them int64
        here, unlike CIFAR-10's uint8).

    Example:

    >>> (x_train, y_train), _ = minilib.datasets.cifar100.load_data(  # doctest: +SKIP
    ...     label_mode="coarse")
    >>> x_train.shape, y_train.shape, int(y_train.max())  # doctest: +SKIP
    ((50000, 32, 32, 3), (50000, 1), 19)
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'label_mode must be "fine" or "coarse", got {label_mode!r}.')
    folder = _keras_files.fetch("cifar-100-python-target",
                                _keras_files.CIFAR + "cifar-100-python.tar.gz", SHA256,
                                extract=True)
    folder = os.path.join(folder, "cifar-100-python")
    splits = []
    for part in ("train", "test"):
        images, labels = _keras_files.read_cifar_batch(os.path.join(folder, part),
                                                       label_key=f"{label_mode}_labels")
        splits.append((images.transpose(0, 2, 3, 1), np.reshape(labels, (-1, 1))))
    return tuple(splits)
