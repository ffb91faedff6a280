"""California Housing: 20,640 districts from the 1990 US census, as in `keras.datasets`.

Eight features per district (median income, house age, rooms and bedrooms per
household, population, occupancy, latitude, longitude) and its median house value
in dollars (mostly 25,000 to 500,000).

`version="small"` keeps the first 600 districts, a stand-in for Boston Housing.
Rooms and bedrooms are averages per household, so holiday resorts with few
households show surprisingly large values. The first call downloads
`california_housing.npz` into `~/.keras/datasets`.
"""

import numpy as np

from minilib.datasets import _keras_files

SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
SMALL_VERSION_SIZE = 600


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Load the districts, shuffled, with the last `test_split` of them for testing.

    Args:
        version: `"large"` (all 20,640 districts) or `"small"` (the first 600).
        path: the file's name in the cache folder (`~/.keras/datasets`).
        test_split: the fraction of samples for the test set, `0 <= test_split < 1`.
        seed: seed of the shuffle.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: features `(n, 8)` and targets `(n,)`,
        with the dtypes stored in the file.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.california_housing.load_data(
    ...     version="small")  # doctest: +SKIP
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((480, 8), (120, 8))
    """
    if version not in ("large", "small"):
        raise ValueError(f'version must be "large" or "small", got {version!r}.')
    _keras_files.check_test_split(test_split)
    path = _keras_files.fetch(path, _keras_files.TF_KERAS_DATASETS + "california_housing.npz",
                              SHA256)
    with np.load(path, allow_pickle=False) as arrays:
        x, y = arrays["x"], arrays["y"]
    if version == "small":
        x, y = x[:SMALL_VERSION_SIZE], y[:SMALL_VERSION_SIZE]
    return _keras_files.shuffle_and_split(x, y, test_split, seed)
