"""Small datasets that load offline, each with a Keras-style `load_data()`.

    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.glyph_digits.load_data()

- `digits`: scikit-learn's 8x8 handwritten digits (1,797 images).
- `glyph_digits`: an MNIST-like set of 28x28 digits, generated and cached on first use.
- `reviews`: short movie reviews labelled positive/negative, as word indices (a tiny IMDB).
- `fables`: about 30 KB of English text, for character-level language models.
- `sales`: a daily time series with trend and weekly and yearly seasons, for forecasting.
- `two_moons`, `spirals`, `blobs`: 2-D points in classes, for decision-boundary plots.
"""

from minilib.datasets import digits, fables, glyph_digits, reviews, sales
from minilib.datasets.toy import blobs, spirals, two_moons

__all__ = ["blobs", "digits", "fables", "glyph_digits", "reviews", "sales", "spirals",
           "two_moons"]
