"""Datasets with a Keras-style `load_data()`: small ones that load offline, and Keras's own.

    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.glyph_digits.load_data()

- `digits`: scikit-learn's 8x8 handwritten digits (1,797 images).
- `glyph_digits`: an MNIST-like set of 28x28 digits, generated and cached on first use.
- `reviews`: short movie reviews labelled positive/negative, as word indices (a tiny IMDB).
- `fables`: about 30 KB of English text, for character-level language models.
- `sales`: a daily time series with trend and weekly and yearly seasons, for forecasting.
- `two_moons`, `spirals`, `blobs`: 2-D points in classes, for decision-boundary plots.

Keras's downloadable datasets, with the same names, arguments and arrays as
`keras.datasets`. The first call downloads the file from Keras's address into
Keras's cache, `~/.keras/datasets` (or `$KERAS_HOME/datasets`), checks it, and
later calls read that copy:

    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.mnist.load_data()  # doctest: +SKIP

- `mnist`, `fashion_mnist`: 70,000 28x28 grayscale digits / clothes.
- `cifar10`, `cifar100`: 60,000 32x32 colour photos in 10 / 100 (or 20 coarse) classes.
- `imdb`: 50,000 movie reviews as word indices, positive or negative.
- `reuters`: 11,228 newswires as word indices, in 46 topics.
- `boston_housing`, `california_housing`: house prices to regress.
"""

from minilib.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    digits,
    fables,
    fashion_mnist,
    glyph_digits,
    imdb,
    mnist,
    reuters,
    reviews,
    sales,
)
from minilib.datasets.toy import blobs, spirals, two_moons

__all__ = ["blobs", "boston_housing", "california_housing", "cifar10", "cifar100", "digits",
           "fables", "fashion_mnist", "glyph_digits", "imdb", "mnist", "reuters", "reviews",
           "sales", "spirals", "two_moons"]
