"""Keras-specific numerics, checked against NumPy transcriptions of Keras's formulas.

Keras clips probabilities to [epsilon, 1 - epsilon] (epsilon = 1e-7) before
taking logs, and rescales categorical probabilities to sum to 1. PyTorch's
own losses do neither, so these cases need their own reference. Also here:
label dtypes and shapes, the loss dtype, and writing a custom loss.
"""

import numpy as np
import pytest
import torch

from minilib import losses, ops

# In float32, as Keras computes: there 1 - 1e-7 rounds to 0.99999988.
EPSILON = np.float32(1e-7)


def keras_binary_crossentropy(y_true, y_pred):
    p = np.clip(np.float32(y_pred), EPSILON, np.float32(1) - EPSILON)
    return -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)).mean(-1)


def keras_categorical_crossentropy(y_true, y_pred):
    p = np.float32(y_pred)
    p = np.clip(p / p.sum(-1, keepdims=True), EPSILON, np.float32(1) - EPSILON)
    return -(y_true * np.log(p)).sum(-1)


def stable_bce_with_logits(y_true, logits):
    x = logits.astype(np.float64)
    return (np.maximum(x, 0) - x * y_true + np.log1p(np.exp(-np.abs(x)))).mean(-1)


def test_binary_crossentropy_clips_certain_predictions():
    y_true = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    y_pred = np.array([[0.0, 1.0, 1.0], [0.0, 0.3, 1e-9]], dtype=np.float32)
    got = losses.binary_crossentropy(y_true, y_pred).numpy()
    np.testing.assert_allclose(got, keras_binary_crossentropy(y_true, y_pred), rtol=1e-5)
    # A confident wrong answer costs -log(1e-7) ~ 16.12 instead of infinity.
    assert losses.binary_crossentropy([[1.0]], [[0.0]]).item() == pytest.approx(16.118, 1e-4)


def test_clipped_predictions_get_no_gradient():
    y_pred = torch.tensor([[0.0, 0.5, 1.0]], requires_grad=True)
    losses.BinaryCrossentropy()([[1.0, 1.0, 0.0]], y_pred).backward()
    assert y_pred.grad[0, 0] == 0 and y_pred.grad[0, 2] == 0
    assert y_pred.grad[0, 1] < 0


def test_categorical_crossentropy_rescales_and_clips():
    y_true = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]], dtype=np.float32)
    y_pred = np.array([[0.2, 0.4, 0.4], [0.0, 3.0, 1.0], [1.0, 1.0, 2.0]], dtype=np.float32)
    got = losses.categorical_crossentropy(y_true, y_pred).numpy()
    np.testing.assert_allclose(got, keras_categorical_crossentropy(y_true, y_pred), rtol=1e-5)


def test_sparse_categorical_crossentropy_rescales_and_clips():
    labels = np.array([1, 0, 2])
    y_pred = np.array([[0.2, 0.4, 0.4], [0.0, 3.0, 1.0], [1.0, 1.0, 2.0]], dtype=np.float32)
    got = losses.sparse_categorical_crossentropy(labels, y_pred).numpy()
    expected = keras_categorical_crossentropy(np.eye(3)[labels], y_pred)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_from_logits_is_stable_for_huge_logits():
    y_true = np.array([[1.0, 0.0, 1.0, 0.0]], dtype=np.float32)
    logits = np.array([[-200.0, 200.0, 50.0, -50.0]], dtype=np.float32)
    got = losses.binary_crossentropy(y_true, logits, from_logits=True).numpy()
    np.testing.assert_allclose(got, stable_bce_with_logits(y_true, logits), rtol=1e-6)
    huge = np.array([[1000.0, -1000.0, 0.0]], dtype=np.float32)
    assert torch.isfinite(losses.categorical_crossentropy([[0, 1, 0]], huge, from_logits=True))


@pytest.mark.parametrize("labels", [
    np.array([2, 0, 1]),
    np.array([2, 0, 1], dtype=np.int32),
    np.array([[2], [0], [1]]),
    np.array([2.0, 0.0, 1.0], dtype=np.float32),
    torch.tensor([2, 0, 1]),
    [2, 0, 1],
], ids=["int64", "int32", "column", "float", "tensor", "list"])
def test_sparse_labels_in_any_dtype_and_shape(labels):
    y_pred = np.array([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.3, 0.4, 0.3]], dtype=np.float32)
    expected = -np.log([0.7, 0.5, 0.4]).mean()
    loss = losses.SparseCategoricalCrossentropy()(labels, y_pred)
    assert loss.dtype == torch.float32
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_integer_labels_for_binary_and_categorical_losses():
    y_pred = np.array([[0.9], [0.2]], dtype=np.float32)
    int_loss = losses.BinaryCrossentropy()(np.array([[1], [0]]), y_pred)
    float_loss = losses.BinaryCrossentropy()(np.array([[1.0], [0.0]]), y_pred)
    assert int_loss.item() == pytest.approx(float_loss.item())
    one_hot = torch.tensor([[0, 1], [1, 0]])
    probabilities = np.array([[0.4, 0.6], [0.8, 0.2]], dtype=np.float32)
    assert losses.CategoricalCrossentropy()(one_hot, probabilities).item() == \
        pytest.approx(-np.log([0.6, 0.8]).mean(), rel=1e-5)


def test_labels_of_shape_batch_meet_predictions_of_shape_batch_1():
    y_true, y_pred = np.array([1.0, 0.0, 1.0]), np.array([[0.8], [0.1], [0.4]])
    expected = keras_binary_crossentropy(y_true[:, None], y_pred).mean()
    assert losses.BinaryCrossentropy()(y_true, y_pred).item() == pytest.approx(expected, 1e-5)
    assert losses.MeanSquaredError()(y_true, y_pred).item() == \
        pytest.approx(((y_true - y_pred[:, 0]) ** 2).mean(), rel=1e-5)


def test_loss_dtype():
    y_true, y_pred = np.array([[0.0, 1.0]]), np.array([[0.5, 0.5]])
    assert losses.MeanSquaredError()(y_true, y_pred).dtype == torch.float32
    assert losses.MeanSquaredError(dtype="float64")(y_true, y_pred).dtype == torch.float64


def test_sample_weight_of_shape_batch_1_and_scalar():
    y_true, y_pred = np.zeros((4, 2)), np.ones((4, 2))
    weights = np.array([1.0, 2.0, 0.0, 1.0])
    loss = losses.MeanAbsoluteError()
    assert loss(y_true, y_pred, sample_weight=weights[:, None]).item() == pytest.approx(1.0)
    assert loss(y_true, y_pred, sample_weight=2.0).item() == pytest.approx(2.0)


def test_custom_loss_subclass_gets_weights_and_reductions():
    class MeanFourthPowerError(losses.Loss):
        def call(self, y_true, y_pred):
            return ops.mean((y_true - y_pred) ** 4, axis=-1)

    loss = MeanFourthPowerError(reduction="sum")
    assert loss.name == "mean_fourth_power_error"
    value = loss([[0.0, 0.0], [0.0, 0.0]], [[1.0, 2.0], [1.0, 1.0]], sample_weight=[1.0, 3.0])
    assert value.item() == pytest.approx(8.5 + 3.0)


def test_wrapping_a_plain_function():
    def squared_error_sum(y_true, y_pred, scale=1.0):
        return scale * ops.sum((y_true - y_pred) ** 2, axis=-1)

    loss = losses.LossFunctionWrapper(squared_error_sum, reduction="sum", scale=2.0)
    assert loss([[0.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]]).item() == 4.0
