"""Fashion-MNIST: 70,000 28x28 grayscale photos of clothes, as in `keras.datasets.fashion_mnist`.

A drop-in replacement for MNIST that is harder to learn. The labels are
0 T-shirt/top, 1 trouser, 2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt,
7 sneaker, 8 bag and 9 ankle boot.

The four files come gzipped in MNIST's original IDX format and are cached in
`~/.keras/datasets/fashion-mnist/`. Keras publishes no checksums for them, so none
are checked. Fashion-MNIST is by Zalando SE, under the MIT license.
"""

import os

from minilib.datasets import _keras_files

FILES = ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]


def load_data():
    """Load Fashion-MNIST: 60,000 training and 10,000 test images in 10 classes.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape `(n, 28, 28)`,
        pixels 0 to 255, and uint8 labels 0 to 9 of shape `(n,)`.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = (  # doctest: +SKIP
    ...     minilib.datasets.fashion_mnist.load_data())
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((60000, 28, 28), (10000, 28, 28))
    """
    folder = os.path.join("datasets", "fashion-mnist")
    y_train, x_train, y_test, x_test = (
        _keras_files.read_idx_gz(_keras_files.fetch(
            name, _keras_files.TF_KERAS_DATASETS + name, cache_subdir=folder))
        for name in FILES)
    return (x_train, y_train), (x_test, y_test)
