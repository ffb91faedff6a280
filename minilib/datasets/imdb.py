"""IMDB: 50,000 movie reviews labelled positive (1) or negative (0), as in `keras.datasets.imdb`.

Each review is a list of word indices (see `_word_sequences` for the arithmetic).
`load_data`'s example decodes one with the word index, shifted the way `load_data` shifts
its words.

The first call downloads `imdb.npz` (17 MB) into `~/.keras/datasets`. Words seen only
in the test reviews were removed from the file, so they never appear as `oov_char`.
"""

import json
import warnings

import numpy as np

from minilib.datasets import _keras_files
from minilib.datasets._word_sequences import drop_long, limit_vocabulary, mark_and_shift

SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_MD5 = "bfafd718b763782e994055a2d397834f"


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    """Load the 25,000 training and 25,000 test reviews, shuffled.

    Args:
        path: the file's name in the cache folder (`~/.keras/datasets`).
        num_words: keep the words ranked below this index (after shifting); the rest
            become `oov_char`. None keeps all.
        skip_top: the indices below this also become `oov_char` (the most frequent words).
        maxlen: keep only the reviews with fewer than `maxlen` indices; None keeps all.
        seed: seed of the shuffle, which is the same for every `num_words` or `maxlen`.
        start_char: the index that opens every review (None: no start mark).
        oov_char: the index for a word left out of the vocabulary (None: drop it).
        index_from: added to each word's frequency rank.
        **kwargs: accepted and ignored, as in Keras; a warning names them.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints, and
        int64 arrays of labels.

    Example:

    >>> (x_train, y_train), _ = minilib.datasets.imdb.load_data(num_words=10000)  # doctest: +SKIP
    >>> word_index = minilib.datasets.imdb.get_word_index()  # doctest: +SKIP
    >>> words = {i + 3: w for w, i in word_index.items()}  # doctest: +SKIP
    >>> words.update({1: "[START]", 2: "[OOV]"})  # doctest: +SKIP
    >>> x_train[0][:6], int(y_train[0])  # doctest: +SKIP
    ([1, 14, 22, 16, 43, 530], 1)
    >>> " ".join(words[i] for i in x_train[0][:6])  # doctest: +SKIP
    '[START] this film was just brilliant'
    """
    if kwargs:
        warnings.warn(f"imdb.load_data ignores the unknown arguments {sorted(kwargs)} "
                      f"(as Keras does).", stacklevel=2)
    path = _keras_files.fetch(path, _keras_files.TF_KERAS_DATASETS + "imdb.npz", SHA256)
    arrays = _keras_files.read_npz(path)
    rng = np.random.RandomState(seed)
    x_train, y_train = _keras_files.shuffled(rng, arrays["x_train"], arrays["y_train"])
    x_test, y_test = _keras_files.shuffled(rng, arrays["x_test"], arrays["y_test"])

    x_train = mark_and_shift(x_train, start_char, index_from)
    x_test = mark_and_shift(x_test, start_char, index_from)
    if maxlen:
        x_train, y_train = drop_long(maxlen, x_train, y_train)
        x_test, y_test = drop_long(maxlen, x_test, y_test)
        if not x_train or not x_test:
            raise ValueError(f"No review is shorter than maxlen={maxlen} in the training "
                             f"or the test set; increase maxlen.")
    sequences = limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([y_train, y_test])
    cut = len(x_train)
    return ((np.array(sequences[:cut], dtype="object"), labels[:cut]),
            (np.array(sequences[cut:], dtype="object"), labels[cut:]))


def get_word_index(path="imdb_word_index.json"):
    """A dict from each word to its frequency rank in IMDB (1 = most frequent, "the").

    Add `index_from` (3) to a rank to get the index `load_data` uses for that word.

    Args:
        path: the file's name in the cache folder (`~/.keras/datasets`).

    Example:

    >>> minilib.datasets.imdb.get_word_index()["the"]  # doctest: +SKIP
    1
    """
    path = _keras_files.fetch(path, _keras_files.TF_KERAS_DATASETS + "imdb_word_index.json",
                              WORD_INDEX_MD5)
    with open(path) as file:
        return json.load(file)
