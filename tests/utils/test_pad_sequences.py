"""pad_sequences with Keras's semantics, checked against arrays written by hand."""

import numpy as np
import pytest

from minilib.utils import pad_sequences

SEQUENCES = [[1, 2, 3, 4], [5, 6], [7], []]


def test_default_pads_and_truncates_at_the_front_to_the_longest():
    expected = [[1, 2, 3, 4], [0, 0, 5, 6], [0, 0, 0, 7], [0, 0, 0, 0]]
    padded = pad_sequences(SEQUENCES)
    np.testing.assert_array_equal(padded, expected)
    assert padded.dtype == np.int32


@pytest.mark.parametrize("padding, truncating, expected", [
    ("pre", "pre", [[2, 3, 4], [0, 5, 6], [0, 0, 7], [0, 0, 0]]),
    ("post", "pre", [[2, 3, 4], [5, 6, 0], [7, 0, 0], [0, 0, 0]]),
    ("pre", "post", [[1, 2, 3], [0, 5, 6], [0, 0, 7], [0, 0, 0]]),
    ("post", "post", [[1, 2, 3], [5, 6, 0], [7, 0, 0], [0, 0, 0]]),
])
def test_padding_and_truncating_sides(padding, truncating, expected):
    padded = pad_sequences(SEQUENCES, maxlen=3, padding=padding, truncating=truncating)
    np.testing.assert_array_equal(padded, expected)


def test_value_dtype_and_maxlen_longer_than_all():
    padded = pad_sequences([[1.5], [2.5, 3.5]], maxlen=3, dtype="float32", value=-1.0)
    np.testing.assert_array_equal(padded, [[-1, -1, 1.5], [-1, 2.5, 3.5]])
    assert padded.dtype == np.float32


def test_steps_that_are_vectors_and_numpy_input():
    sequences = [np.ones((2, 3)), np.full((1, 3), 2.0)]
    padded = pad_sequences(sequences, padding="post", dtype="float32")
    assert padded.shape == (2, 2, 3)
    np.testing.assert_array_equal(padded[1], [[2, 2, 2], [0, 0, 0]])


def test_strings_need_object_dtype():
    padded = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert padded.tolist() == [["a", "b"], ["<pad>", "c"]]
    with pytest.raises(ValueError, match="dtype=object"):
        pad_sequences([["a"]], value="<pad>")


def test_zero_maxlen_and_no_sequences():
    assert pad_sequences([[1, 2]], maxlen=0).shape == (1, 0)
    assert pad_sequences([]).shape == (0, 0)


def test_bad_arguments():
    with pytest.raises(ValueError, match="padding"):
        pad_sequences(SEQUENCES, padding="middle")
    with pytest.raises(ValueError, match="truncating"):
        pad_sequences(SEQUENCES, truncating="both")
    with pytest.raises(ValueError, match="list of sequences"):
        pad_sequences([1, 2, 3])
    with pytest.raises(ValueError, match="steps of shape"):
        pad_sequences([np.ones((1, 2)), np.ones((1, 3))], dtype="float32")
