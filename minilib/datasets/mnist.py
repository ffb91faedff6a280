"""MNIST: 70,000 handwritten digits, 28x28 grayscale, as in `keras.datasets.mnist`.

The first call downloads `mnist.npz` (11 MB) into `~/.keras/datasets` (or
`$KERAS_HOME/datasets`); later calls, in minilib or in Keras, read that copy.
MNIST is by Yann LeCun and Corinna Cortes, under the CC BY-SA 3.0 license.
"""

import numpy as np

from minilib.datasets import _keras_files

SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz"):
    """Load MNIST: 60,000 training and 10,000 test images of the digits 0 to 9.

    Args:
        path: the file's name in the cache folder (`~/.keras/datasets`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape `(n, 28, 28)`,
        pixels 0 (black) to 255, and uint8 labels of shape `(n,)`.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.mnist.load_data()  # doctest: +SKIP
    >>> x_train.shape, x_train.dtype, y_train[:5]  # doctest: +SKIP
    ((60000, 28, 28), dtype('uint8'), array([5, 0, 4, 1, 9], dtype=uint8))
    """
    path = _keras_files.fetch(path, _keras_files.TF_KERAS_DATASETS + "mnist.npz", SHA256)
    with np.load(path, allow_pickle=False) as arrays:
        return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
