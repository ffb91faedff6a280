"""Every loss against PyTorch's own implementation: values and gradients.

Each case pairs a minilib loss with the same loss written with
`torch.nn.functional`. The reference applies Keras's documented weighting
and reduction rules on top, so every reduction is checked with and without
sample weights, including the gradients with respect to `y_pred` and to
the weights.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from minilib import losses
from tests.helpers.torch_oracle import assert_matches_torch, random_floats

N, C = 8, 5
rng = np.random.default_rng(1)
REGRESSION_TRUE = random_floats(N, C, seed=2)
REGRESSION_PRED = random_floats(N, C, seed=3)
BINARY_TRUE = rng.integers(0, 2, (N, C)).astype(np.float32)
PROBABILITIES = random_floats(N, C, low=0.05, high=0.95, seed=4)   # away from the clipping
LOGITS = random_floats(N, C, low=-4.0, high=4.0, seed=5)
CLASS_PROBABILITIES = random_floats(N, C, low=0.05, high=1.0, seed=6)  # rows need not sum to 1
LABELS = rng.integers(0, C, N)
ONE_HOT = np.eye(C, dtype=np.float32)[LABELS]
SIGNS = rng.choice([-1.0, 1.0], (N, C)).astype(np.float32)
NONZERO_TRUE = random_floats(N, C, low=0.5, high=3.0, seed=7) * SIGNS
DISTRIBUTIONS = CLASS_PROBABILITIES / CLASS_PROBABILITIES.sum(-1, keepdims=True)
SAMPLE_WEIGHT = random_floats(N, low=0.0, high=2.0, seed=8)


def smoothed(t, s):
    return t * (1 - s) + 0.5 * s


# (id, minilib loss factory, torch per-sample loss, y_true, y_pred)
CASES = [
    ("mse", lambda **kw: losses.MeanSquaredError(**kw),
     lambda t, p: F.mse_loss(p, t, reduction="none").mean(-1), REGRESSION_TRUE, REGRESSION_PRED),
    ("mae", lambda **kw: losses.MeanAbsoluteError(**kw),
     lambda t, p: F.l1_loss(p, t, reduction="none").mean(-1), REGRESSION_TRUE, REGRESSION_PRED),
    ("huber", lambda **kw: losses.Huber(delta=0.8, **kw),
     lambda t, p: F.huber_loss(p, t, reduction="none", delta=0.8).mean(-1),
     REGRESSION_TRUE, REGRESSION_PRED),
    ("bce", lambda **kw: losses.BinaryCrossentropy(**kw),
     lambda t, p: F.binary_cross_entropy(p, t, reduction="none").mean(-1),
     BINARY_TRUE, PROBABILITIES),
    ("bce_smoothing", lambda **kw: losses.BinaryCrossentropy(label_smoothing=0.2, **kw),
     lambda t, p: F.binary_cross_entropy(p, smoothed(t, 0.2), reduction="none").mean(-1),
     BINARY_TRUE, PROBABILITIES),
    ("bce_logits", lambda **kw: losses.BinaryCrossentropy(from_logits=True, **kw),
     lambda t, p: F.binary_cross_entropy_with_logits(p, t, reduction="none").mean(-1),
     BINARY_TRUE, LOGITS),
    ("bce_logits_smoothing",
     lambda **kw: losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.3, **kw),
     lambda t, p: F.binary_cross_entropy_with_logits(p, smoothed(t, 0.3),
                                                     reduction="none").mean(-1),
     BINARY_TRUE, LOGITS),
    # cross_entropy(log p) = -sum(t * log(p / sum(p))): Keras rescales probabilities to sum to 1.
    ("cce", lambda **kw: losses.CategoricalCrossentropy(**kw),
     lambda t, p: F.cross_entropy(torch.log(p), t, reduction="none"),
     ONE_HOT, CLASS_PROBABILITIES),
    ("cce_smoothing", lambda **kw: losses.CategoricalCrossentropy(label_smoothing=0.1, **kw),
     lambda t, p: F.cross_entropy(torch.log(p), t, reduction="none", label_smoothing=0.1),
     ONE_HOT, CLASS_PROBABILITIES),
    ("cce_logits", lambda **kw: losses.CategoricalCrossentropy(from_logits=True, **kw),
     lambda t, p: F.cross_entropy(p, t, reduction="none"), ONE_HOT, LOGITS),
    ("cce_logits_smoothing",
     lambda **kw: losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2, **kw),
     lambda t, p: F.cross_entropy(p, t, reduction="none", label_smoothing=0.2),
     ONE_HOT, LOGITS),
    ("scce", lambda **kw: losses.SparseCategoricalCrossentropy(**kw),
     lambda t, p: F.cross_entropy(torch.log(p), t, reduction="none"),
     LABELS, CLASS_PROBABILITIES),
    ("scce_logits", lambda **kw: losses.SparseCategoricalCrossentropy(from_logits=True, **kw),
     lambda t, p: F.cross_entropy(p, t, reduction="none"), LABELS, LOGITS),
    ("scce_logits_column_labels",
     lambda **kw: losses.SparseCategoricalCrossentropy(from_logits=True, **kw),
     lambda t, p: F.cross_entropy(p, t[:, 0], reduction="none"), LABELS[:, None], LOGITS),
    ("kld", lambda **kw: losses.KLDivergence(**kw),
     lambda t, p: F.kl_div(torch.log(p), t, reduction="none").sum(-1),
     DISTRIBUTIONS, CLASS_PROBABILITIES / 2),
    ("cosine", lambda **kw: losses.CosineSimilarity(**kw),
     lambda t, p: -F.cosine_similarity(t, p, dim=-1), REGRESSION_TRUE, REGRESSION_PRED),
    ("hinge", lambda **kw: losses.Hinge(**kw),
     lambda t, p: F.relu(1 - (2 * t - 1) * p).mean(-1), BINARY_TRUE, LOGITS),
    ("mape", lambda **kw: losses.MeanAbsolutePercentageError(**kw),
     lambda t, p: 100 * torch.abs((t - p) / torch.abs(t)).mean(-1), NONZERO_TRUE,
     REGRESSION_PRED),
]

REDUCTIONS = ["sum_over_batch_size", "sum", None, "mean_with_sample_weight"]


def reduce_like_keras(per_sample, sample_weight, reduction):
    """Keras's documented rules, written out in plain torch."""
    weighted = per_sample if sample_weight is None else per_sample * sample_weight
    if reduction is None:
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return weighted.sum() / sample_weight.sum()
    return weighted.sum() / weighted.numel()


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
@pytest.mark.parametrize("name, make_loss, torch_loss, y_true, y_pred", CASES,
                         ids=[case[0] for case in CASES])
def test_loss_matches_torch(name, make_loss, torch_loss, y_true, y_pred, reduction, weighted):
    loss = make_loss(reduction=reduction)
    reference_true = torch.tensor(y_true)

    def ours(y_pred, *sample_weight):
        return loss(y_true, y_pred, sample_weight=sample_weight[0] if sample_weight else None)

    def reference(y_pred, *sample_weight):
        return reduce_like_keras(torch_loss(reference_true, y_pred),
                                 sample_weight[0] if sample_weight else None, reduction)

    arrays = (y_pred, SAMPLE_WEIGHT) if weighted else (y_pred,)
    assert_matches_torch(ours, reference, *arrays, atol=1e-5)


@pytest.mark.parametrize("name, make_loss, torch_loss, y_true, y_pred", CASES,
                         ids=[case[0] for case in CASES])
def test_function_form_gives_the_per_sample_losses(name, make_loss, torch_loss, y_true, y_pred):
    loss = make_loss()
    reference_true = torch.tensor(y_true)
    assert_matches_torch(lambda p: loss.fn(y_true, p, **loss.fn_kwargs),
                         lambda p: torch_loss(reference_true, p), y_pred, atol=1e-5)


def test_none_string_is_the_same_as_none():
    per_sample = losses.MeanSquaredError(reduction="none")(REGRESSION_TRUE, REGRESSION_PRED)
    expected = losses.mean_squared_error(REGRESSION_TRUE, REGRESSION_PRED)
    torch.testing.assert_close(per_sample, expected)
    assert per_sample.shape == (N,)


def test_per_timestep_weights_for_sequence_losses():
    y_true, y_pred = random_floats(N, 3, C, seed=9), random_floats(N, 3, C, seed=10)
    weights = random_floats(N, 3, low=0.0, high=1.0, seed=11)
    reference_true = torch.tensor(y_true)

    def reference(y_pred, sample_weight):
        per_step = F.mse_loss(y_pred, reference_true, reduction="none").mean(-1)
        return reduce_like_keras(per_step, sample_weight, "sum_over_batch_size")

    assert_matches_torch(lambda p, w: losses.MeanSquaredError()(y_true, p, sample_weight=w),
                         reference, y_pred, weights)


def test_ignore_class_matches_torch_ignore_index():
    labels = LABELS.copy()
    labels[[1, 4, 5]] = -1
    for reduction, torch_reduction in [("sum_over_batch_size", "mean"), ("sum", "sum"),
                                       (None, "none")]:
        loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1,
                                                    reduction=reduction)
        assert_matches_torch(
            lambda p, loss=loss: loss(labels, p),
            lambda p, r=torch_reduction: F.cross_entropy(p, torch.tensor(labels),
                                                         ignore_index=-1, reduction=r),
            LOGITS, atol=1e-5)


def test_ignore_class_with_sample_weights_averages_over_kept_positions():
    labels = LABELS.copy()
    labels[[0, 3]] = 255
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=255)
    kept = torch.tensor(labels != 255)

    def reference(logits, sample_weight):
        per_sample = F.cross_entropy(logits[kept], torch.tensor(labels)[kept], reduction="none")
        return (per_sample * sample_weight[kept]).sum() / kept.sum()

    assert_matches_torch(lambda p, w: loss(labels, p, sample_weight=w), reference,
                         LOGITS, SAMPLE_WEIGHT)


def test_ignore_class_everywhere_gives_zero_not_nan():
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    y_pred = torch.tensor(LOGITS, requires_grad=True)
    value = loss(np.full(N, -1), y_pred)
    value.backward()
    assert value.item() == 0.0
    assert torch.all(y_pred.grad == 0)
