"""imdb and reuters: the word-index arithmetic, the shuffles, the word indices, safe unpickling.

Exact agreement with real Keras, for many argument combinations, is checked in
test_keras_datasets_match_keras.py; these tests spell out the rules one by one.
"""

import hashlib
import io
import os
import pickle
import zipfile

import numpy as np
import pytest

from minilib import datasets
from minilib.datasets._word_sequences import drop_long, limit_vocabulary, mark_and_shift
from tests.datasets import keras_formats


def keras_order(count, rng):
    order = np.arange(count)
    rng.shuffle(order)
    return order


def test_mark_and_shift():
    assert mark_and_shift([[1, 5], [2]], start_char=1, index_from=3) == [[1, 4, 8], [1, 5]]
    assert mark_and_shift([[1, 5]], start_char=None, index_from=3) == [[4, 8]]
    assert mark_and_shift([[1, 5]], start_char=None, index_from=0) == [[1, 5]]
    assert mark_and_shift([[1, 5]], start_char=7, index_from=0) == [[7, 1, 5]]


def test_drop_long_keeps_only_strictly_shorter_sequences():
    sequences, labels = drop_long(3, [[1, 2], [1, 2, 3], [4]], np.array([0, 1, 2]))
    assert sequences == [[1, 2], [4]] and labels == [0, 2]


def test_limit_vocabulary():
    sequences = [[1, 4, 5, 9], [1, 8]]
    assert limit_vocabulary(sequences, 6, 0, 2) == [[1, 4, 5, 2], [1, 2]]
    assert limit_vocabulary(sequences, 6, 0, None) == [[1, 4, 5], [1]]
    # skip_top counts every index, so the start mark 1 becomes oov too
    assert limit_vocabulary(sequences, 6, 2, 2) == [[2, 4, 5, 2], [2, 2]]
    assert limit_vocabulary(sequences, 6, 5, None) == [[5], []]
    # num_words=None stops below the largest index, so 9 itself is out, as in Keras
    assert limit_vocabulary(sequences, None, 0, 2) == [[1, 4, 5, 2], [1, 8]]


def test_imdb_defaults(origin):
    (x_train, y_train), (x_test, y_test) = datasets.imdb.load_data()
    stored = origin.stored["imdb"]
    assert x_train.dtype == object and x_train.shape == (12,) and x_test.shape == (8,)
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    rng = np.random.RandomState(113)  # one generator: first the training order, then the test
    train_order, test_order = keras_order(12, rng), keras_order(8, rng)
    np.testing.assert_array_equal(y_train, stored["y_train"][train_order])
    np.testing.assert_array_equal(y_test, stored["y_test"][test_order])
    largest = max(max(s) for s in [*stored["x_train"], *stored["x_test"]]) + 3
    for loaded, raw in zip([*x_train, *x_test], [*stored["x_train"][train_order],
                                                 *stored["x_test"][test_order]], strict=True):
        assert type(loaded) is list
        assert loaded == [1] + [w + 3 if w + 3 < largest else 2 for w in raw]


def test_imdb_num_words_skip_top_and_seed(origin):
    (x_train, _), (x_test, _) = datasets.imdb.load_data(num_words=10, skip_top=5, seed=4)
    for sequence in [*x_train, *x_test]:
        assert sequence[0] == 2  # the start mark 1 is below skip_top
        assert all(index == 2 or 5 <= index < 10 for index in sequence)
    (x_other, _), _ = datasets.imdb.load_data(num_words=10, skip_top=5, seed=5)
    assert [list(s) for s in x_other] != [list(s) for s in x_train]


def test_imdb_maxlen_drops_reviews_and_their_labels(origin):
    # num_words is set so that the largest index (which moves when reviews go) plays no part
    (x_train, y_train), (x_test, y_test) = datasets.imdb.load_data(maxlen=6, num_words=99)
    (x_all, y_all), (x_all_test, _) = datasets.imdb.load_data(num_words=99)
    kept = [i for i, s in enumerate(x_all) if len(s) < 6]
    assert [list(s) for s in x_train] == [list(x_all[i]) for i in kept]
    np.testing.assert_array_equal(y_train, y_all[kept])
    assert all(len(s) < 6 for s in x_test) and len(x_test) == len(y_test)
    assert len(x_test) == sum(len(s) < 6 for s in x_all_test)
    with pytest.raises(ValueError, match="shorter than maxlen=2"):
        datasets.imdb.load_data(maxlen=2)


def test_imdb_warns_about_unknown_arguments(origin):
    with pytest.warns(UserWarning, match=r"ignores the unknown arguments \['num_word'\]"):
        datasets.imdb.load_data(num_word=10)


@pytest.mark.parametrize("dataset", [datasets.imdb, datasets.reuters])
def test_word_index_is_checked_and_cached(origin, dataset):
    name = f"{dataset.__name__.rsplit('.', 1)[1]}_word_index.json"
    word_index = dataset.get_word_index()
    assert word_index == {w: i for i, w in enumerate(keras_formats.WORDS, start=1)}
    assert dataset.get_word_index() == word_index
    assert origin.requests == [f"/tf-keras-datasets/{name}"]
    assert os.path.isfile(origin.keras_home / "datasets" / name)

    os.remove(origin.keras_home / "datasets" / name)
    (origin.folder / "tf-keras-datasets" / name).write_text('{"the": 2}')
    with pytest.raises(ValueError, match=f"{name} is corrupted.*its md5 is"):
        dataset.get_word_index()


def test_reuters_split_and_labels(origin):
    (x_train, y_train), (x_test, y_test) = datasets.reuters.load_data(test_split=0.3)
    stored = origin.stored["reuters"]
    assert len(x_train) == 14 and len(x_test) == 6 and x_train.dtype == object
    order = keras_order(20, np.random.RandomState(113))
    np.testing.assert_array_equal(np.concatenate([y_train, y_test]), stored["y"][order])
    assert y_train.dtype == np.int64
    largest = max(max(s) for s in stored["x"]) + 3
    assert x_test[0] == [1] + [w + 3 if w + 3 < largest else 2 for w in stored["x"][order[14]]]
    names = datasets.reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn" and names[45] == "lead"


def test_a_pickle_that_would_run_code_is_refused(origin, monkeypatch):
    class RunsCode:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    npy = io.BytesIO()
    np.lib.format.write_array_header_1_0(npy, {"descr": "|O", "fortran_order": False,
                                               "shape": (1,)})
    npy.write(pickle.dumps(np.array([RunsCode()], dtype=object), protocol=3))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x.npy", npy.getvalue())
    (origin.folder / "tf-keras-datasets" / "reuters.npz").write_bytes(buffer.getvalue())
    monkeypatch.setattr(datasets.reuters, "SHA256", hashlib.sha256(buffer.getvalue()).hexdigest())
    refused = r"Refusing to load (posix|nt)\.system from .*reuters\.npz \(x\.npy\)"
    with pytest.raises(pickle.UnpicklingError, match=refused):
        datasets.reuters.load_data()
