"""The errors students meet most often: each names the loss, the shapes, and the fix."""

import numpy as np
import pytest

from minilib import losses

PROBABILITIES = np.full((8, 10), 0.1, dtype=np.float32)
ONE_HOT = np.eye(10, dtype=np.float32)[np.arange(8)]
CLASS_INDICES = np.arange(8)


def error_message(loss, y_true, y_pred):
    with pytest.raises(ValueError) as info:
        loss(y_true, y_pred)
    return str(info.value)


def test_sparse_loss_given_one_hot_labels_suggests_categorical():
    message = error_message(losses.SparseCategoricalCrossentropy(), ONE_HOT, PROBABILITIES)
    assert "SparseCategoricalCrossentropy expects y_true to hold integer class indices" in message
    assert "of shape (8,) or (8, 1)" in message
    assert "y_pred of shape (8, 10)" in message
    assert "got y_true of shape (8, 10)" in message
    assert "use CategoricalCrossentropy" in message


def test_sparse_loss_given_labels_for_another_batch_size():
    message = error_message(losses.SparseCategoricalCrossentropy(), np.arange(5), PROBABILITIES)
    assert "got y_true of shape (5,)" in message
    assert "CategoricalCrossentropy (" not in message   # not one-hot: no such hint


def test_categorical_loss_given_class_indices_suggests_sparse():
    for labels in (CLASS_INDICES, CLASS_INDICES[:, None]):
        message = error_message(losses.CategoricalCrossentropy(), labels, PROBABILITIES)
        assert "CategoricalCrossentropy expects one-hot labels" in message
        assert f"got y_true of shape {labels.shape}" in message
        assert "y_pred (8, 10)" in message
        assert "use SparseCategoricalCrossentropy" in message


def test_function_forms_raise_the_same_errors():
    with pytest.raises(ValueError, match="SparseCategoricalCrossentropy expects"):
        losses.get("sparse_categorical_crossentropy")(ONE_HOT, PROBABILITIES)
    with pytest.raises(ValueError, match="CategoricalCrossentropy expects one-hot"):
        losses.categorical_crossentropy(CLASS_INDICES, PROBABILITIES)


@pytest.mark.parametrize("loss, name", [
    (losses.MeanSquaredError(), "MeanSquaredError"),
    (losses.MeanAbsoluteError(), "MeanAbsoluteError"),
    (losses.Huber(), "Huber"),
    (losses.BinaryCrossentropy(), "BinaryCrossentropy"),
])
def test_mismatched_shapes_name_the_loss_and_both_shapes(loss, name):
    message = error_message(loss, np.zeros((8, 3)), np.zeros((8, 2)))
    assert message.startswith(f"{name}: y_true and y_pred must have the same shape")
    assert "y_true has shape (8, 3)" in message
    assert "y_pred has shape (8, 2)" in message


def test_regression_loss_given_class_indices_gets_a_hint():
    # (8, 1) against (8, 10) would otherwise broadcast into a meaningless number.
    message = error_message(losses.MeanSquaredError(), CLASS_INDICES[:, None], PROBABILITIES)
    assert "y_true has shape (8, 1) and y_pred has shape (8, 10)" in message
    assert "SparseCategoricalCrossentropy" in message
    assert "layer of 1 unit" in message


def test_single_class_categorical_crossentropy_warns():
    with pytest.warns(UserWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(np.ones((4, 1)), np.full((4, 1), 0.7))


def test_unknown_reduction():
    with pytest.raises(ValueError, match="Unknown reduction 'avg'.*'sum_over_batch_size'"):
        losses.MeanSquaredError(reduction="avg")
