"""The loaders that build their data in memory: documented shapes, dtypes and determinism."""

import numpy as np
import pytest

from minilib import datasets


def assert_same(first, second):
    for a, b in zip(first, second, strict=True):
        if isinstance(a, tuple):
            assert_same(a, b)
        elif isinstance(a, np.ndarray) and a.dtype == object:
            assert [list(s) for s in a] == [list(s) for s in b]
        else:
            np.testing.assert_array_equal(a, b)


def test_digits():
    (x_train, y_train), (x_test, y_test) = datasets.digits.load_data()
    assert x_train.shape == (1438, 8, 8) and x_test.shape == (359, 8, 8)
    assert x_train.dtype == np.uint8 and 0 == x_train.min() and x_train.max() == 16
    assert y_train.dtype == np.int64 and set(y_train.tolist()) == set(range(10))
    assert_same(datasets.digits.load_data(), ((x_train, y_train), (x_test, y_test)))
    (_, y_other), _ = datasets.digits.load_data(seed=1)
    assert not np.array_equal(y_other, y_train)


@pytest.mark.parametrize("make", [datasets.two_moons, datasets.spirals, datasets.blobs])
def test_toy_problems(make):
    x, y = make(n_samples=300, noise=0.1, seed=3)
    assert x.shape == (300, 2) and x.dtype == np.float32
    assert y.shape == (300,) and y.dtype == np.int64 and y.min() == 0
    assert_same(make(n_samples=300, noise=0.1, seed=3), (x, y))
    assert not np.array_equal(make(n_samples=300, noise=0.1, seed=4)[0], x)


def test_spirals_arms_and_classes():
    x, y = datasets.spirals(n_samples=600, noise=0.0, n_classes=3)
    assert np.bincount(y).tolist() == [200, 200, 200]
    assert np.abs(x).max() <= 1.0


def test_reviews_like_imdb():
    (x_train, y_train), (x_test, y_test) = datasets.reviews.load_data()
    assert x_train.dtype == object and len(x_train) == 1500 and len(x_test) == 500
    assert y_train.dtype == np.int64 and set(y_train.tolist()) == {0, 1}
    assert 0.4 < y_train.mean() < 0.6
    assert all(seq[0] == 1 and min(seq[1:]) >= 4 for seq in x_train)
    word_index = datasets.reviews.get_word_index()
    words = {index + 3: word for word, index in word_index.items()}
    (texts, labels), _ = datasets.reviews.load_texts()
    decoded = {" ".join(words[i] for i in seq[1:]) for seq in x_train}
    assert decoded == set(texts)
    assert min(word_index.values()) == 1 and word_index["the"] == 1
    assert_same(datasets.reviews.load_data(), ((x_train, y_train), (x_test, y_test)))


def test_reviews_num_words_maxlen_and_oov():
    (x_train, _), _ = datasets.reviews.load_data(num_words=20, maxlen=10)
    assert all(len(seq) <= 10 for seq in x_train) and len(x_train) > 100
    assert max(max(seq) for seq in x_train) < 20 and any(2 in seq for seq in x_train)
    (x_plain, _), _ = datasets.reviews.load_data(start_char=None, oov_char=None, num_words=20)
    assert all(2 not in seq and min(seq, default=3) >= 3 for seq in x_plain)


def test_reviews_need_word_order():
    (texts, labels), _ = datasets.reviews.load_texts()
    negated = [y for t, y in zip(texts, labels, strict=True) if " was not " in t]
    assert 0 < sum(negated) < len(negated)  # "not" goes with both labels


def test_fables_text():
    text = datasets.fables.load_data()
    assert isinstance(text, str) and 20_000 < len(text) < 60_000
    assert text.startswith("The ") and "Moral:" in text and len(set(text)) < 60
    assert datasets.fables.load_data() == text


def test_sales_series_and_windows():
    series = datasets.sales.load_series()
    assert series.shape == (1460,) and series.dtype == np.float32
    (x_train, y_train), (x_test, y_test) = datasets.sales.load_data(sequence_length=30)
    assert x_train.shape == (1138, 30, 1) and y_train.shape == (1138,)
    assert x_test.shape == (292, 30, 1) and x_train.dtype == y_train.dtype == np.float32
    np.testing.assert_array_equal(x_train[5, :, 0], series[5:35])
    assert y_train[5] == series[35] and y_test[-1] == series[-1]
    weekends = series[np.arange(1460) % 7 >= 5].mean()
    assert weekends > series[np.arange(1460) % 7 < 5].mean() + 10
    assert_same(datasets.sales.load_data(), ((x_train, y_train), (x_test, y_test)))

