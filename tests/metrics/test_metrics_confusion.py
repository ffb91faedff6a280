"""Precision, Recall, AUC and F1 against scikit-learn and worked examples."""

import numpy as np
import pytest
from sklearn.metrics import f1_score, fbeta_score, precision_score, recall_score, roc_auc_score

from minilib import metrics

N, C = 40, 4
rng = np.random.default_rng(2)
Y_TRUE = rng.integers(0, 2, (N, 1)).astype(np.float32)
Y_PRED = rng.uniform(size=(N, 1)).astype(np.float32)
MULTI_TRUE = rng.integers(0, 2, (N, C)).astype(np.float32)
MULTI_PRED = rng.uniform(size=(N, C)).astype(np.float32)
WEIGHTS = rng.uniform(0, 2, N).astype(np.float32)
SPLITS = [slice(0, 13), slice(13, 29), slice(29, N)]


def accumulate(metric, y_true, y_pred, weights=None):
    for part in SPLITS:
        metric.update_state(y_true[part], y_pred[part],
                            sample_weight=None if weights is None else weights[part])
    return metric.result().numpy()


@pytest.mark.parametrize("weights", [None, WEIGHTS], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("threshold", [0.5, 0.3])
def test_precision_and_recall_match_sklearn(weights, threshold):
    predicted = Y_PRED[:, 0] > threshold
    precision = accumulate(metrics.Precision(thresholds=threshold), Y_TRUE, Y_PRED, weights)
    recall = accumulate(metrics.Recall(thresholds=threshold), Y_TRUE, Y_PRED, weights)
    assert precision == pytest.approx(precision_score(Y_TRUE[:, 0], predicted,
                                                      sample_weight=weights), rel=1e-5)
    assert recall == pytest.approx(recall_score(Y_TRUE[:, 0], predicted,
                                                sample_weight=weights), rel=1e-5)


def test_several_thresholds_give_one_value_each():
    thresholds = [0.2, 0.5, 0.9]
    precision = accumulate(metrics.Precision(thresholds=thresholds), Y_TRUE, Y_PRED, WEIGHTS)
    recall = accumulate(metrics.Recall(thresholds=thresholds), Y_TRUE, Y_PRED, WEIGHTS)
    for i, t in enumerate(thresholds):
        predicted = Y_PRED[:, 0] > t
        assert precision[i] == pytest.approx(
            precision_score(Y_TRUE[:, 0], predicted, sample_weight=WEIGHTS), rel=1e-5)
        assert recall[i] == pytest.approx(
            recall_score(Y_TRUE[:, 0], predicted, sample_weight=WEIGHTS), rel=1e-5)


def test_multi_label_data_is_pooled_and_class_id_selects_one_class():
    pooled = accumulate(metrics.Precision(), MULTI_TRUE, MULTI_PRED, WEIGHTS)
    repeated_weights = np.repeat(WEIGHTS, C)
    assert pooled == pytest.approx(precision_score(
        MULTI_TRUE.ravel(), MULTI_PRED.ravel() > 0.5, sample_weight=repeated_weights), 1e-5)
    one_class = accumulate(metrics.Recall(class_id=2), MULTI_TRUE, MULTI_PRED, WEIGHTS)
    assert one_class == pytest.approx(recall_score(
        MULTI_TRUE[:, 2], MULTI_PRED[:, 2] > 0.5, sample_weight=WEIGHTS), rel=1e-5)


def test_top_k_calls_each_rows_k_best_scores_positive():
    predicted = np.zeros_like(MULTI_PRED)
    np.put_along_axis(predicted, np.argsort(-MULTI_PRED, axis=1)[:, :2], 1.0, axis=1)
    precision = accumulate(metrics.Precision(top_k=2), MULTI_TRUE, MULTI_PRED)
    recall = accumulate(metrics.Recall(top_k=2), MULTI_TRUE, MULTI_PRED)
    true_positives = (predicted * MULTI_TRUE).sum()
    assert precision == pytest.approx(true_positives / predicted.sum(), rel=1e-5)
    assert recall == pytest.approx(true_positives / MULTI_TRUE.sum(), rel=1e-5)


def test_precision_is_zero_not_nan_without_positive_predictions():
    assert metrics.Precision()([[1], [0]], [[0.1], [0.2]]).item() == 0.0


def test_thresholds_outside_zero_one_are_rejected():
    with pytest.raises(ValueError, match=r"Thresholds must be in \[0, 1\]"):
        metrics.Recall(thresholds=[0.5, 1.5])


# Scores on a grid between the thresholds: every distinct score is then separated from
# the next by a threshold, so the thresholded ROC curve *is* the exact ROC curve and the
# trapezoids give sklearn's exact AUC. Grid: 0.05, 0.15, ..., 0.95; thresholds: k / 10.
GRID_PRED = (rng.integers(0, 10, (N, C)) / 10 + 0.05).astype(np.float32)


@pytest.mark.parametrize("weights", [None, WEIGHTS], ids=["unweighted", "weighted"])
def test_roc_auc_matches_sklearn_exactly_on_grid_scores(weights):
    got = accumulate(metrics.AUC(num_thresholds=11), MULTI_TRUE[:, :1], GRID_PRED[:, :1],
                     weights)
    expected = roc_auc_score(MULTI_TRUE[:, 0], GRID_PRED[:, 0], sample_weight=weights)
    assert got == pytest.approx(expected, abs=1e-6)


def test_multi_label_auc_averages_the_per_label_aucs():
    got = accumulate(metrics.AUC(num_thresholds=11, multi_label=True), MULTI_TRUE, GRID_PRED,
                     WEIGHTS)
    per_label = [roc_auc_score(MULTI_TRUE[:, j], GRID_PRED[:, j], sample_weight=WEIGHTS)
                 for j in range(C)]
    assert got == pytest.approx(np.mean(per_label), abs=1e-6)
    label_weights = [1.0, 2.0, 0.0, 1.0]
    weighted = accumulate(metrics.AUC(num_thresholds=11, multi_label=True, num_labels=C,
                                      label_weights=label_weights),
                          MULTI_TRUE, GRID_PRED, WEIGHTS)
    assert weighted == pytest.approx(np.average(per_label, weights=label_weights), abs=1e-6)


def test_pooled_auc_treats_each_label_as_a_sample():
    got = accumulate(metrics.AUC(num_thresholds=11), MULTI_TRUE, GRID_PRED, WEIGHTS)
    expected = roc_auc_score(MULTI_TRUE.ravel(), GRID_PRED.ravel(),
                             sample_weight=np.repeat(WEIGHTS, C))
    assert got == pytest.approx(expected, abs=1e-6)


def test_default_auc_approximates_sklearn_on_continuous_scores():
    got = accumulate(metrics.AUC(), MULTI_TRUE, MULTI_PRED)
    assert got == pytest.approx(roc_auc_score(MULTI_TRUE.ravel(), MULTI_PRED.ravel()),
                                abs=5e-3)


def test_auc_from_logits():
    logits = np.log(GRID_PRED / (1 - GRID_PRED))
    got = accumulate(metrics.AUC(num_thresholds=11, from_logits=True), MULTI_TRUE[:, :1],
                     logits[:, :1])
    assert got == pytest.approx(roc_auc_score(MULTI_TRUE[:, 0], GRID_PRED[:, 0]), abs=1e-6)


def test_user_thresholds():
    # Only thresholds at 0.35 and 0.75 (plus the two ends): a worked example.
    auc = metrics.AUC(thresholds=[0.75, 0.35])
    assert auc.thresholds[1:-1] == [0.35, 0.75]
    auc.update_state([0, 1, 0, 1], [0.1, 0.5, 0.6, 0.9])
    # (fpr, tpr) at the thresholds: (1, 1), (0.5, 1), (0, 0.5), (0, 0)
    assert auc.result().item() == pytest.approx(0.5 * 1 + 0.5 * 0.75)


# The worked example: thresholds [-eps, 0.5, 1 + eps]; scores [0, 0.5, 0.3, 0.9], labels
# [0, 0, 1, 1], weights [1, 2, 3, 4] give tp = [7, 4, 0], fp = [3, 0, 0], fn = [0, 3, 7],
# tn = [0, 3, 3], so recall = [1, 4/7, 0], false positive rate = [1, 0, 0] and
# precision = [0.7, 1, 0].
@pytest.mark.parametrize("curve, summation, expected", [
    ("ROC", "interpolation", (1 + 4 / 7) / 2),
    ("ROC", "minoring", 4 / 7),
    ("ROC", "majoring", 1.0),
    ("PR", "minoring", 3 / 7 * 0.7),
    ("PR", "majoring", 3 / 7 * 1 + 4 / 7 * 1),
    # Davis-Goadrich: slope = dTP / dP = [3/6, 4/4], intercept = TP_b - slope * P_b = [2, 0],
    # area = sum(slope * (dTP + intercept * log(P_a / P_b))) / positives
    ("PR", "interpolation", (0.5 * (3 + 2 * np.log(10 / 4)) + 1 * 4) / 7),
])
def test_auc_summation_methods_on_a_worked_example(curve, summation, expected):
    auc = metrics.AUC(num_thresholds=3, curve=curve, summation_method=summation)
    auc.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 2, 3, 4])
    assert auc.result().item() == pytest.approx(expected, rel=1e-5)


def test_auc_reset_and_unbuilt_result():
    auc = metrics.AUC(multi_label=True)
    assert auc.result().item() == 0.0 and auc.variables == []
    accumulate(auc, MULTI_TRUE, GRID_PRED)
    auc.reset_state()
    assert auc.result().item() == 0.0
    assert auc.true_positives.shape == (200, C)


def test_auc_argument_errors():
    with pytest.raises(ValueError, match="unknown curve 'RPC'"):
        metrics.AUC(curve="RPC")
    with pytest.raises(ValueError, match="unknown summation_method"):
        metrics.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="num_thresholds must be > 1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match=r"Thresholds must be in \[0, 1\]"):
        metrics.AUC(thresholds=[0.5, 2.0])
    with pytest.raises(ValueError, match=r"expects y_pred of shape \(batch, num_labels\)"):
        metrics.AUC(multi_label=True).update_state(np.zeros(4), np.zeros(4))


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"], ids=str)
@pytest.mark.parametrize("weights", [None, WEIGHTS], ids=["unweighted", "weighted"])
def test_f1_score_with_threshold_matches_sklearn(average, weights):
    got = accumulate(metrics.F1Score(average=average, threshold=0.5), MULTI_TRUE, MULTI_PRED,
                     weights)
    expected = f1_score(MULTI_TRUE, MULTI_PRED > 0.5, average=average, sample_weight=weights,
                        zero_division=0)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_f1_score_without_threshold_uses_each_rows_best_class():
    labels = rng.integers(0, C, N)
    got = accumulate(metrics.F1Score(average="macro"), np.eye(C)[labels], MULTI_PRED, WEIGHTS)
    expected = f1_score(labels, MULTI_PRED.argmax(1), average="macro", sample_weight=WEIGHTS)
    assert got == pytest.approx(expected, rel=1e-5)


def test_fbeta_score_matches_sklearn():
    got = accumulate(metrics.FBetaScore(average="weighted", beta=2.0, threshold=0.5),
                     MULTI_TRUE, MULTI_PRED, WEIGHTS)
    expected = fbeta_score(MULTI_TRUE, MULTI_PRED > 0.5, beta=2.0, average="weighted",
                           sample_weight=WEIGHTS)
    assert got == pytest.approx(expected, rel=1e-5)


def test_f1_score_argument_errors():
    with pytest.raises(ValueError, match="average must be one of"):
        metrics.F1Score(average="binary")
    with pytest.raises(ValueError, match=r"threshold must be in \(0, 1\]"):
        metrics.F1Score(threshold=0.0)
    with pytest.raises(ValueError, match=r"expects y_true and y_pred of shape"):
        metrics.F1Score().update_state(np.zeros(4), np.zeros(4))
