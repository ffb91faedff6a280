"""Reuters: 11,228 newswires labelled with one of 46 topics, as in `keras.datasets.reuters`.

Each newswire is a list of word indices, built exactly as IMDB's are (see
`_word_sequences`); the labels are topic numbers, named by `get_label_names()`.

The first call downloads `reuters.npz` (2 MB) into `~/.keras/datasets`.
"""

import json

import numpy as np

from minilib.datasets import _keras_files
from minilib.datasets._word_sequences import drop_long, limit_vocabulary, mark_and_shift

SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921"
LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3):
    """Load the newswires, shuffled, and keep the last `test_split` of them for testing.

    Args:
        path: the file's name in the cache folder (`~/.keras/datasets`).
        num_words: keep the words ranked below this index (after shifting); the rest
            become `oov_char`. None keeps all.
        skip_top: the indices below this also become `oov_char` (the most frequent words).
        maxlen: keep only the newswires with fewer than `maxlen` indices; None keeps all.
        test_split: the fraction of newswires for the test set.
        seed: seed of the shuffle.
        start_char: the index that opens every newswire (None: no start mark).
        oov_char: the index for a word left out of the vocabulary (None: drop it).
        index_from: added to each word's frequency rank.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints, and
        int64 arrays of topic numbers 0 to 45.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.reuters.load_data(  # doctest: +SKIP
    ...     num_words=10000)
    >>> len(x_train), len(x_test)  # doctest: +SKIP
    (8982, 2246)
    >>> minilib.datasets.reuters.get_label_names()[3]
    'earn'
    """
    path = _keras_files.fetch(path, _keras_files.TF_KERAS_DATASETS + "reuters.npz", SHA256)
    arrays = _keras_files.read_npz(path)
    sequences, labels = _keras_files.shuffled(np.random.RandomState(seed), arrays["x"],
                                              arrays["y"])
    sequences = mark_and_shift(sequences, start_char, index_from)
    if maxlen:
        sequences, labels = drop_long(maxlen, sequences, labels)
    sequences = limit_vocabulary(sequences, num_words, skip_top, oov_char)
    cut = int(len(sequences) * (1 - test_split))
    return ((np.array(sequences[:cut], dtype="object"), np.array(labels[:cut])),
            (np.array(sequences[cut:], dtype="object"), np.array(labels[cut:])))


def get_word_index(path="reuters_word_index.json"):
    """A dict from each word to its frequency rank in Reuters (1 = most frequent, "the").

    Add `index_from` (3) to a rank to get the index `load_data` uses for that word.

    Args:
        path: the file's name in the cache folder (`~/.keras/datasets`).

    Example:

    >>> minilib.datasets.reuters.get_word_index()["the"]  # doctest: +SKIP
    1
    """
    path = _keras_files.fetch(
        path, _keras_files.TF_KERAS_DATASETS + "reuters_word_index.json", WORD_INDEX_MD5)
    with open(path) as file:
        return json.load(file)


def get_label_names():
    """The 46 topic names as a tuple: `get_label_names()[3]` is `"earn"`.

    Example:

    >>> minilib.datasets.reuters.get_label_names()[:4]
    ('cocoa', 'grain', 'veg-oil', 'earn')
    """
    return LABEL_NAMES
