"""Digits: scikit-learn's 1,797 handwritten digits, 8x8 pixels each.

A tiny cousin of MNIST (scanned digits from 43 writers, UCI), shipped inside
scikit-learn, so it loads instantly and offline. Pixel values are ink counts
from 0 (white paper) to 16 (full ink).
"""

import numpy as np


def load_data(test_split=0.2, seed=113):
    """The digits, shuffled with `seed` and split into training and test sets.

    Args:
        test_split: fraction of the 1,797 images kept for testing.
        seed: seed of the shuffle before splitting (the same seed gives the same split).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: images uint8 of shape `(N, 8, 8)` with
        values 0-16, labels int64 digits 0-9 of shape `(N,)`.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.digits.load_data()
    >>> x_train.shape, x_train.dtype, x_train.max()
    ((1438, 8, 8), dtype('uint8'), np.uint8(16))
    >>> x_train = x_train.reshape(-1, 64).astype("float32") / 16   # for a Dense model
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    order = np.random.RandomState(seed).permutation(len(digits.target))
    x = digits.images[order].astype("uint8")
    y = digits.target[order].astype("int64")
    num_train = len(y) - int(round(len(y) * test_split))
    return (x[:num_train], y[:num_train]), (x[num_train:], y[num_train:])
