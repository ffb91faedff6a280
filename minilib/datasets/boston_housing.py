"""Boston Housing: 506 suburbs, 13 features, median house prices, as in `keras.datasets`.

The targets are median home values in thousands of dollars (mostly 10 to 50).

Use it to talk about the ethics of data: one feature, "B", was built on the
assumption that racial segregation affects house prices. For a plain regression
example prefer `california_housing.load_data(version="small")`.

The first call downloads `boston_housing.npz` (57 KB) into `~/.keras/datasets`.
"""

import numpy as np

from minilib.datasets import _keras_files

SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Load the 506 samples, shuffled, with the last `test_split` of them for testing.

    Args:
        path: the file's name in the cache folder (`~/.keras/datasets`).
        test_split: the fraction of samples for the test set, `0 <= test_split < 1`.
        seed: seed of the shuffle.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: float64 features `(n, 13)` and
        float64 targets `(n,)`.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = (  # doctest: +SKIP
    ...     minilib.datasets.boston_housing.load_data())
    >>> x_train.shape, x_test.shape, x_train.dtype  # doctest: +SKIP
    ((404, 13), (102, 13), dtype('float64'))
    """
    _keras_files.check_test_split(test_split)
    path = _keras_files.fetch(path, _keras_files.TF_KERAS_DATASETS + "boston_housing.npz",
                              SHA256)
    with np.load(path, allow_pickle=False) as arrays:
        x, y = arrays["x"], arrays["y"]
    return _keras_files.shuffle_and_split(x, y, test_split, seed)
