"""Finding metrics by name, saving them, and `compile(metrics=["accuracy"])`."""

import json

import numpy as np
import pytest
import torch

import minilib
from minilib import losses, metrics


@pytest.mark.parametrize("name, cls", [
    ("mse", metrics.MeanSquaredError), ("MSE", metrics.MeanSquaredError),
    ("mean_squared_error", metrics.MeanSquaredError),
    ("MeanSquaredError", metrics.MeanSquaredError),
    ("mae", metrics.MeanAbsoluteError), ("root_mean_squared_error", metrics.RootMeanSquaredError),
    ("accuracy", metrics.Accuracy), ("binary_accuracy", metrics.BinaryAccuracy),
    ("categorical_accuracy", metrics.CategoricalAccuracy),
    ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
    ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy),
    ("sparse_top_k_categorical_accuracy", metrics.SparseTopKCategoricalAccuracy),
    ("precision", metrics.Precision), ("recall", metrics.Recall), ("auc", metrics.AUC),
    ("AUC", metrics.AUC), ("f1_score", metrics.F1Score),
    ("binary_crossentropy", metrics.BinaryCrossentropy), ("bce", metrics.BinaryCrossentropy),
    ("sparse_categorical_crossentropy", metrics.SparseCategoricalCrossentropy),
])
def test_names_give_fresh_metric_objects(name, cls):
    metric = metrics.get(name)
    assert type(metric) is cls
    assert metrics.get(name) is not metric


def test_classes_instances_functions_and_dicts():
    auc = metrics.AUC(num_thresholds=10)
    assert metrics.get(auc) is auc
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    restored = metrics.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.2}})
    assert restored.threshold == 0.2
    assert metrics.get(None) is None


def test_unknown_name_lists_the_valid_names():
    with pytest.raises(ValueError) as info:
        metrics.get("acuracy")
    message = str(info.value)
    assert message.startswith("Unknown metric 'acuracy'. Did you mean 'accuracy'?")
    for name in ("sparse_categorical_accuracy", "AUC", "mae"):
        assert name in message


NON_DEFAULT = [
    metrics.Mean(name="loss"), metrics.Sum(dtype="float64"), metrics.Accuracy(),
    metrics.BinaryAccuracy(threshold=0.7), metrics.CategoricalAccuracy(),
    metrics.SparseCategoricalAccuracy(name="acc"), metrics.TopKCategoricalAccuracy(k=2),
    metrics.SparseTopKCategoricalAccuracy(k=3), metrics.MeanSquaredError(),
    metrics.MeanAbsoluteError(), metrics.RootMeanSquaredError(),
    metrics.Precision(thresholds=[0.3, 0.6], class_id=1), metrics.Recall(top_k=2),
    metrics.AUC(num_thresholds=50, curve="PR", summation_method="minoring"),
    metrics.AUC(thresholds=[0.2, 0.8], multi_label=True, num_labels=3, label_weights=[1, 2, 3],
                from_logits=True),
    metrics.F1Score(average="macro", threshold=0.4),
    metrics.FBetaScore(average="micro", beta=0.5),
    metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
    metrics.CategoricalCrossentropy(label_smoothing=0.2),
    metrics.SparseCategoricalCrossentropy(from_logits=True),
    metrics.MeanMetricWrapper(losses.huber, name="huber_metric", delta=2.0),
    metrics.MeanMetricWrapper(metrics.binary_accuracy, threshold=0.2),
]


@pytest.mark.parametrize("metric", NON_DEFAULT, ids=lambda m: type(m).__name__)
def test_serialize_round_trip(metric):
    config = json.loads(json.dumps(metrics.serialize(metric)))   # must be plain JSON
    restored = metrics.deserialize(config)
    assert type(restored) is type(metric)
    assert restored.get_config() == metric.get_config()
    assert [v.shape for v in restored.variables] == [v.shape for v in metric.variables]


def test_serialize_functions_by_name():
    config = metrics.serialize(metrics.sparse_categorical_accuracy)
    assert metrics.deserialize(config) is metrics.sparse_categorical_accuracy


# compile(metrics=["accuracy"]) follows Keras 3: the shapes of the first batch decide.
@pytest.mark.parametrize("true_shape, pred_shape, cls", [
    ((8, 1), (8, 1), metrics.BinaryAccuracy),
    ((8,), (8, 1), metrics.BinaryAccuracy),
    ((8,), (8, 10), metrics.SparseCategoricalAccuracy),
    ((8, 1), (8, 10), metrics.SparseCategoricalAccuracy),
    ((8, 20), (8, 20, 10), metrics.SparseCategoricalAccuracy),
    ((8, 10), (8, 10), metrics.CategoricalAccuracy),
])
@pytest.mark.parametrize("identifier", ["accuracy", "acc", "Accuracy", "ACC"])
def test_accuracy_resolved_from_shapes(identifier, true_shape, pred_shape, cls):
    metric = metrics.resolve_metric(identifier, np.zeros(true_shape), np.zeros(pred_shape))
    assert type(metric) is cls
    assert metric.name == identifier


def test_resolved_accuracy_computes_the_right_thing():
    labels = np.array([2, 0, 1])
    scores = np.array([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.6, 0.3, 0.1]], dtype=np.float32)
    accuracy = metrics.resolve_metric("accuracy", labels, scores)
    assert accuracy(labels, scores).item() == pytest.approx(2 / 3)


def test_other_identifiers_keep_their_spelling_as_name():
    y = np.zeros((4, 1))
    mae = metrics.resolve_metric("mae", y, y)
    assert type(mae) is metrics.MeanAbsoluteError and mae.name == "mae"
    assert metrics.resolve_metric("AUC", y, y).name == "AUC"
    assert metrics.resolve_metric(metrics.Precision, y, y).name.startswith("precision")
    recall = metrics.Recall(name="my_recall")
    assert metrics.resolve_metric(recall, y, y) is recall and recall.name == "my_recall"


def test_plain_functions_are_averaged_over_the_epoch():
    def absolute_error(y_true, y_pred):
        return abs(y_true - y_pred)

    metric = metrics.resolve_metric(absolute_error, None, None)
    assert isinstance(metric, metrics.MeanMetricWrapper) and metric.name == "absolute_error"
    metric.update_state(np.array([1.0, 2.0]), np.array([1.5, 2.5]))
    metric.update_state(np.array([0.0]), np.array([2.0]))
    assert metric.result().item() == pytest.approx(1.0)
    assert metrics.resolve_metric(losses.mean_squared_error, None, None).name == \
        "mean_squared_error"


def test_resolve_metric_rejects_none():
    with pytest.raises(ValueError, match="expected a metric, got None"):
        metrics.resolve_metric(None, None, None)


def test_loss_functions_are_metric_functions_as_in_keras():
    """`keras.metrics.mean_squared_error` is the loss function (not a submodule), and a
    function given to compile's metrics is logged under its name."""
    y_true, y_pred = np.array([[0.0, 1.0], [2.0, 0.0]]), np.array([[1.0, 1.0], [0.0, 0.0]])
    for name in ("mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
                 "huber", "hinge", "kl_divergence", "binary_crossentropy"):
        function = getattr(metrics, name)
        assert function is getattr(minilib.losses, name)
        assert callable(function)
    torch.testing.assert_close(metrics.mean_squared_error(y_true, y_pred),
                               torch.tensor([0.5, 2.0]))
    model = minilib.Sequential([minilib.Input((2,)), minilib.layers.Dense(2)])
    model.compile("sgd", "mse", metrics=[metrics.huber])
    assert "huber" in model.fit(y_true, y_pred, verbose=0).history
