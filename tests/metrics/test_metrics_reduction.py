"""Mean, Sum, MeanMetricWrapper and the Metric base class, against NumPy."""

import copy

import numpy as np
import pytest
import torch

from minilib import metrics, ops
from minilib.backend import config
from minilib.backend.variable import Variable

rng = np.random.default_rng(0)
BATCHES = [rng.normal(size=(n, 3)).astype(np.float32) for n in (4, 7, 2)]
WEIGHTS = [rng.uniform(0, 2, size=len(b)).astype(np.float32) for b in BATCHES]


def test_mean_over_batches_with_sample_weights():
    mean = metrics.Mean()
    for values, weights in zip(BATCHES, WEIGHTS, strict=True):
        mean.update_state(values, sample_weight=weights)
    # One weight per sample: each sample's 3 values are averaged first.
    per_sample = np.concatenate([b.mean(1) for b in BATCHES])
    expected = np.average(per_sample, weights=np.concatenate(WEIGHTS))
    assert mean.result().item() == pytest.approx(expected, rel=1e-5)


def test_mean_with_weights_per_value():
    values, weights = BATCHES[0], rng.uniform(0, 1, BATCHES[0].shape).astype(np.float32)
    mean = metrics.Mean()
    mean.update_state(values, sample_weight=weights)
    expected = (values * weights).mean(1).sum() / weights.mean(1).sum()
    assert mean.result().item() == pytest.approx(expected, rel=1e-5)


def test_mean_without_weights_counts_samples():
    mean = metrics.Mean()
    for values in BATCHES:
        mean.update_state(values)
    expected = np.concatenate([b.mean(1) for b in BATCHES]).mean()
    assert mean.result().item() == pytest.approx(expected, rel=1e-5)
    mean.update_state(10.0)   # a scalar counts as one sample
    assert mean.count.item() == 14


def test_reset_state_starts_again():
    mean = metrics.Mean()
    mean.update_state([1.0, 2.0])
    mean.reset_state()
    assert mean.result().item() == 0.0   # 0, not NaN, before any data
    mean.update_state([5.0, 7.0])
    assert mean.result().item() == 6.0


def test_sum_over_batches_with_sample_weights():
    total = metrics.Sum()
    for values, weights in zip(BATCHES, WEIGHTS, strict=True):
        total.update_state(values, sample_weight=weights)
    expected = sum((b.sum(1) * w).sum() for b, w in zip(BATCHES, WEIGHTS, strict=True))
    assert total.result().item() == pytest.approx(expected, rel=1e-5)
    result = total.result()
    total.update_state([1.0])
    assert result.item() == pytest.approx(expected, rel=1e-5)   # results are snapshots
    total.reset_state()
    assert total.result().item() == 0.0


def test_mean_metric_wrapper_passes_keyword_arguments():
    def scaled_error(y_true, y_pred, scale):
        return scale * torch.abs(torch.as_tensor(y_true) - y_pred)

    metric = metrics.MeanMetricWrapper(scaled_error, name="scaled", scale=10.0)
    metric.update_state([1.0, 2.0], torch.tensor([1.5, 2.5]), sample_weight=[1.0, 0.0])
    assert metric.result().item() == pytest.approx(5.0)
    assert metric.name == "scaled"


def test_call_updates_then_returns_the_result():
    mean = metrics.Mean()
    assert mean([1.0, 3.0]).item() == 2.0
    assert mean([5.0]).item() == 3.0


def test_variables_are_named_non_trainable_and_on_the_default_device():
    mean = metrics.Mean(name="loss")
    assert [v.path for v in mean.variables] == ["loss/total", "loss/count"]
    for variable in mean.variables:
        assert isinstance(variable, Variable)
        assert not variable.trainable and not variable.requires_grad
        assert variable.device.type == config.device().type


def test_updates_happen_in_place_and_outside_autograd():
    accuracy = metrics.SparseCategoricalAccuracy()
    before = [id(v) for v in accuracy.variables]
    y_pred = torch.tensor([[0.2, 0.8], [0.9, 0.1]], requires_grad=True)
    accuracy.update_state([1, 1], y_pred)
    accuracy.reset_state()
    assert [id(v) for v in accuracy.variables] == before
    assert not accuracy.result().requires_grad


def test_a_deep_copy_keeps_its_own_state():
    """The trainer copies a metric instance given for several outputs."""
    original = metrics.AUC(num_thresholds=5)
    copied = copy.deepcopy(original)
    copied.update_state([1, 0], [0.8, 0.3])
    assert all(v.sum() == 0 for v in original.variables)
    assert copied.result().item() == 1.0


ALL_UPDATES = [
    (metrics.Mean(), ([1.0, 2.0],)),
    (metrics.Sum(), ([1.0, 2.0],)),
    (metrics.Accuracy(), ([1, 2], [1, 3])),
    (metrics.BinaryAccuracy(), ([[1], [0]], [[0.7], [0.2]])),
    (metrics.CategoricalAccuracy(), ([[0, 1], [1, 0]], [[0.3, 0.7], [0.4, 0.6]])),
    (metrics.SparseCategoricalAccuracy(), ([1, 0], [[0.3, 0.7], [0.4, 0.6]])),
    (metrics.TopKCategoricalAccuracy(k=1), ([[0, 1], [1, 0]], [[0.3, 0.7], [0.4, 0.6]])),
    (metrics.SparseTopKCategoricalAccuracy(k=1), ([1, 0], [[0.3, 0.7], [0.4, 0.6]])),
    (metrics.MeanSquaredError(), ([[1.0], [0.0]], [[0.7], [0.2]])),
    (metrics.MeanAbsoluteError(), ([[1.0], [0.0]], [[0.7], [0.2]])),
    (metrics.RootMeanSquaredError(), ([[1.0], [0.0]], [[0.7], [0.2]])),
    (metrics.Precision(), ([[1], [0]], [[0.7], [0.2]])),
    (metrics.Recall(top_k=1), ([[0, 1], [1, 0]], [[0.3, 0.7], [0.4, 0.6]])),
    (metrics.AUC(), ([[1], [0]], [[0.7], [0.2]])),
    (metrics.AUC(multi_label=True), ([[0, 1], [1, 0]], [[0.3, 0.7], [0.4, 0.6]])),
    (metrics.F1Score(), ([[0, 1], [1, 0]], [[0.3, 0.7], [0.4, 0.6]])),
    (metrics.SparseCategoricalCrossentropy(), ([1, 0], [[0.3, 0.7], [0.4, 0.6]])),
]


@pytest.mark.parametrize("metric, batch", ALL_UPDATES, ids=lambda x: getattr(x, "name", ""))
def test_update_state_never_reads_a_value_back_to_python(metric, batch, monkeypatch):
    """Reading a value (`.item()`, `if tensor:`...) would make the CPU wait for the GPU."""
    batch = [torch.tensor(np.asarray(x, dtype=np.float32)) for x in batch]
    metric.update_state(*batch)   # the first call may build state; then watch the second

    def forbidden(*args, **kwargs):
        raise AssertionError("update_state read a tensor value back to Python")

    for method in ("item", "tolist", "numpy", "cpu", "__bool__", "__float__", "__int__",
                   "__index__"):
        monkeypatch.setattr(torch.Tensor, method, forbidden)
    metric.update_state(*batch, sample_weight=torch.tensor([1.0, 0.5]))
    monkeypatch.undo()
    assert torch.isfinite(metric.result()).all()


def test_subclassing_metric():
    class Maximum(metrics.Metric):
        def __init__(self, name="maximum"):
            super().__init__(name=name)
            self.largest = self.add_variable((), initializer=lambda shape, dtype: -1e9)

        def update_state(self, values):
            self.largest.assign(torch.maximum(self.largest, torch.as_tensor(values).max()))

        def result(self):
            return self.largest.detach().clone()

    maximum = Maximum()
    maximum.update_state([1.0, 5.0])
    maximum.update_state([3.0])
    assert maximum.result().item() == 5.0
    maximum.reset_state()
    assert maximum.result().item() == 0.0


def test_add_weight_is_keras_older_name_for_add_variable():
    class PositiveCount(metrics.Metric):
        def __init__(self, name="positive_count", dtype="float32"):
            super().__init__(name=name, dtype=dtype)
            self.count = self.add_weight(name="count", dtype=dtype, initializer="zeros")

        def update_state(self, values):
            self.count.assign_add(ops.sum(ops.cast(ops.greater_equal(values, 0.5),
                                                   self.dtype)))

        def result(self):
            return self.count.value

    metric = PositiveCount()
    assert metric.variables == [metric.count] and metric.count.shape == ()
    assert metric.count.path == "positive_count/count" and not metric.count.trainable
    metric.update_state([0.3, 0.5, 0.9])
    metric.update_state([0.7])
    assert metric.result().item() == 3.0
    metric.reset_state()
    assert metric.result().item() == 0.0


def test_add_variable_rejects_unknown_initializer_names():
    with pytest.raises(ValueError, match="unknown initializer 'glorot'"):
        metrics.Mean().add_variable((), "glorot")
