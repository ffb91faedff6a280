"""The accuracy metrics against scikit-learn, over several weighted batches."""

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score, top_k_accuracy_score

from minilib import metrics

N, C = 30, 6
rng = np.random.default_rng(0)
LABELS = rng.integers(0, C, N)
ONE_HOT = np.eye(C, dtype=np.float32)[LABELS]
SCORES = rng.uniform(size=(N, C)).astype(np.float32)   # no ties, so top-k is well defined
BINARY_TRUE = rng.integers(0, 2, (N, 1)).astype(np.float32)
BINARY_PRED = rng.uniform(size=(N, 1)).astype(np.float32)
WEIGHTS = rng.uniform(0, 2, N).astype(np.float32)
SPLITS = [slice(0, 8), slice(8, 21), slice(21, N)]


def accumulate(metric, y_true, y_pred, weights=None):
    """Feed the data in three batches, as a training loop would."""
    for part in SPLITS:
        metric.update_state(y_true[part], y_pred[part],
                            sample_weight=None if weights is None else weights[part])
    return metric.result().item()


@pytest.mark.parametrize("weights", [None, WEIGHTS], ids=["unweighted", "weighted"])
def test_binary_accuracy(weights):
    for threshold in (0.5, 0.3):
        expected = accuracy_score(BINARY_TRUE[:, 0], BINARY_PRED[:, 0] > threshold,
                                  sample_weight=weights)
        got = accumulate(metrics.BinaryAccuracy(threshold=threshold), BINARY_TRUE, BINARY_PRED,
                         weights)
        assert got == pytest.approx(expected, rel=1e-5)


def test_binary_accuracy_with_flat_integer_labels():
    labels = BINARY_TRUE[:, 0].astype(np.int64)
    expected = accuracy_score(labels, BINARY_PRED[:, 0] > 0.5)
    assert accumulate(metrics.BinaryAccuracy(), labels, BINARY_PRED) == pytest.approx(expected)


@pytest.mark.parametrize("weights", [None, WEIGHTS], ids=["unweighted", "weighted"])
def test_categorical_accuracy(weights):
    expected = accuracy_score(LABELS, SCORES.argmax(1), sample_weight=weights)
    got = accumulate(metrics.CategoricalAccuracy(), ONE_HOT, SCORES, weights)
    assert got == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("labels", [LABELS, LABELS[:, None], LABELS.astype(np.float32)],
                         ids=["flat", "column", "float"])
@pytest.mark.parametrize("weights", [None, WEIGHTS], ids=["unweighted", "weighted"])
def test_sparse_categorical_accuracy(labels, weights):
    expected = accuracy_score(LABELS, SCORES.argmax(1), sample_weight=weights)
    got = accumulate(metrics.SparseCategoricalAccuracy(), labels, SCORES, weights)
    assert got == pytest.approx(expected, rel=1e-5)


def test_sparse_categorical_accuracy_on_sequences():
    labels = rng.integers(0, C, (4, 5))
    scores = rng.uniform(size=(4, 5, C)).astype(np.float32)
    got = metrics.SparseCategoricalAccuracy()(labels, scores).item()
    assert got == pytest.approx((scores.argmax(-1) == labels).mean())


@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("weights", [None, WEIGHTS], ids=["unweighted", "weighted"])
def test_top_k_accuracies(k, weights):
    expected = top_k_accuracy_score(LABELS, SCORES, k=k, labels=range(C),
                                    sample_weight=weights)
    dense = accumulate(metrics.TopKCategoricalAccuracy(k=k), ONE_HOT, SCORES, weights)
    sparse = accumulate(metrics.SparseTopKCategoricalAccuracy(k=k), LABELS, SCORES, weights)
    column = accumulate(metrics.SparseTopKCategoricalAccuracy(k=k), LABELS[:, None], SCORES,
                        weights)
    assert dense == pytest.approx(expected, rel=1e-5)
    assert sparse == pytest.approx(expected, rel=1e-5)
    assert column == pytest.approx(expected, rel=1e-5)


def test_top_k_counts_ties_with_the_kth_score_as_hits():
    scores = np.array([[0.5, 0.5, 0.1]], dtype=np.float32)
    assert metrics.sparse_top_k_categorical_accuracy([1], scores, k=1).item() == 1.0


def test_accuracy_compares_values_exactly():
    expected = accuracy_score(LABELS, SCORES.argmax(1), sample_weight=WEIGHTS)
    got = accumulate(metrics.Accuracy(), LABELS, SCORES.argmax(1), WEIGHTS)
    assert got == pytest.approx(expected, rel=1e-5)


def test_reset_state_between_epochs():
    metric = metrics.SparseCategoricalAccuracy()
    accumulate(metric, LABELS, SCORES)
    metric.reset_state()
    assert metric.result().item() == 0.0
    metric.update_state([1, 1], [[0.1, 0.9], [0.8, 0.2]])
    assert metric.result().item() == 0.5


def test_results_are_float32_tensors():
    result = metrics.BinaryAccuracy()([[1]], [[0.9]])
    assert torch.is_tensor(result) and result.dtype == torch.float32 and result.shape == ()


def test_categorical_accuracy_given_class_indices_suggests_sparse():
    with pytest.raises(ValueError) as info:
        metrics.CategoricalAccuracy()(LABELS, SCORES)
    message = str(info.value)
    assert "CategoricalAccuracy expects one-hot labels" in message
    assert "(30, 6)" in message and "(30,)" in message
    assert "SparseCategoricalAccuracy" in message


def test_sparse_categorical_accuracy_given_one_hot_labels_suggests_categorical():
    with pytest.raises(ValueError) as info:
        metrics.SparseCategoricalAccuracy()(ONE_HOT, SCORES)
    message = str(info.value)
    assert "SparseCategoricalAccuracy expects integer class labels of shape (30,) or (30, 1)"\
        in message
    assert "got y_true of shape (30, 6)" in message
    assert "use CategoricalAccuracy" in message
