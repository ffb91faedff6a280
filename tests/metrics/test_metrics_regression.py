"""Regression and crossentropy metrics against scikit-learn and minilib's losses."""

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_squared_error

from minilib import losses, metrics

rng = np.random.default_rng(1)
N = 25
Y_TRUE = rng.normal(size=(N, 3)).astype(np.float32)
Y_PRED = rng.normal(size=(N, 3)).astype(np.float32)
WEIGHTS = rng.uniform(0, 2, N).astype(np.float32)
SPLITS = [slice(0, 10), slice(10, 17), slice(17, N)]


def accumulate(metric, y_true, y_pred, weights=None):
    for part in SPLITS:
        metric.update_state(y_true[part], y_pred[part],
                            sample_weight=None if weights is None else weights[part])
    return metric.result().item()


@pytest.mark.parametrize("weights", [None, WEIGHTS], ids=["unweighted", "weighted"])
def test_mean_squared_and_absolute_errors(weights):
    mse = mean_squared_error(Y_TRUE, Y_PRED, sample_weight=weights)
    mae = mean_absolute_error(Y_TRUE, Y_PRED, sample_weight=weights)
    assert accumulate(metrics.MeanSquaredError(), Y_TRUE, Y_PRED, weights) == \
        pytest.approx(mse, rel=1e-5)
    assert accumulate(metrics.MeanAbsoluteError(), Y_TRUE, Y_PRED, weights) == \
        pytest.approx(mae, rel=1e-5)
    assert accumulate(metrics.RootMeanSquaredError(), Y_TRUE, Y_PRED, weights) == \
        pytest.approx(np.sqrt(mse), rel=1e-5)


def test_root_is_taken_after_averaging_all_batches():
    rmse = metrics.RootMeanSquaredError()
    rmse.update_state([0.0], [3.0])
    rmse.update_state([0.0, 0.0, 0.0], [1.0, 1.0, 1.0])
    assert rmse.result().item() == pytest.approx(np.sqrt((9 + 3) / 4))


def test_labels_of_shape_batch_with_predictions_of_shape_batch_1():
    y_true, y_pred = Y_TRUE[:, 0], Y_PRED[:, :1]
    expected = mean_squared_error(y_true, y_pred[:, 0])
    assert accumulate(metrics.MeanSquaredError(), y_true, y_pred) == pytest.approx(expected)
    assert accumulate(metrics.RootMeanSquaredError(), y_true, y_pred) == \
        pytest.approx(np.sqrt(expected))


LABELS = rng.integers(0, 3, N)
PROBABILITIES = rng.uniform(0.05, 1, (N, 3)).astype(np.float32)
PROBABILITIES /= PROBABILITIES.sum(1, keepdims=True)
BINARY = rng.integers(0, 2, (N, 3)).astype(np.float32)


@pytest.mark.parametrize("metric, loss, y_true", [
    (metrics.BinaryCrossentropy(), losses.BinaryCrossentropy(), BINARY),
    (metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
     losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), BINARY),
    (metrics.CategoricalCrossentropy(label_smoothing=0.2),
     losses.CategoricalCrossentropy(label_smoothing=0.2), np.eye(3)[LABELS]),
    (metrics.SparseCategoricalCrossentropy(), losses.SparseCategoricalCrossentropy(), LABELS),
], ids=lambda x: getattr(x, "name", ""))
def test_crossentropy_metrics_average_the_losses(metric, loss, y_true):
    expected = loss(y_true, PROBABILITIES, sample_weight=WEIGHTS).item() * N / WEIGHTS.sum()
    assert accumulate(metric, y_true, PROBABILITIES, WEIGHTS) == pytest.approx(expected, 1e-5)


def test_mean_absolute_percentage_error_metric_matches_sklearn():
    from sklearn.metrics import mean_absolute_percentage_error as sklearn_mape

    from minilib import metrics

    rng = np.random.default_rng(3)
    y_true = rng.uniform(1, 2, (3, 5)).astype("float32")
    y_pred = rng.uniform(1, 2, (3, 5)).astype("float32")
    metric = metrics.get("mape")
    metric.update_state(y_true[:2], y_pred[:2])
    metric.update_state(y_true[2:], y_pred[2:])
    expected = 100 * sklearn_mape(y_true.ravel(), y_pred.ravel())
    assert float(metric.result()) == pytest.approx(expected, rel=1e-5)
