"""minilib.regularizers: penalties and their gradients against torch, and lookup by name."""

import numpy as np
import pytest
import torch

from minilib import regularizers
from tests.helpers.torch_oracle import assert_matches_torch, random_floats

W = random_floats(5, 3)


@pytest.mark.parametrize(
    "regularizer, formula",
    [
        (regularizers.L1(0.3), lambda w: 0.3 * w.abs().sum()),
        (regularizers.L2(0.3), lambda w: 0.3 * w.square().sum()),  # no factor 1/2, as Keras
        (regularizers.L1L2(l1=0.1, l2=0.2), lambda w: 0.1 * w.abs().sum() + 0.2 * (w**2).sum()),
        (regularizers.L1(), lambda w: 0.01 * w.abs().sum()),
        (regularizers.L2(), lambda w: 0.01 * w.square().sum()),
    ],
    ids=["l1", "l2", "l1_l2", "l1_default", "l2_default"],
)
def test_penalties_match_torch(regularizer, formula):
    assert_matches_torch(regularizer, formula, W, atol=1e-5)


def test_penalty_is_a_scalar_tensor():
    penalty = regularizers.L2(0.1)([1.0, 2.0])
    assert torch.is_tensor(penalty) and penalty.shape == ()
    assert penalty.item() == pytest.approx(0.5)


def _orthogonal_reference(w):
    units = w / w.norm(dim=1, keepdim=True)
    cosines = units @ units.T
    count = w.shape[0]
    return 0.2 * (cosines - torch.diag(torch.diag(cosines))).abs().sum() / (count * (count - 1))


def test_orthogonal_regularizer_matches_torch():
    assert_matches_torch(regularizers.OrthogonalRegularizer(0.2), _orthogonal_reference, W,
                         atol=1e-6)
    assert_matches_torch(regularizers.OrthogonalRegularizer(0.2, mode="columns"),
                         lambda w: _orthogonal_reference(w.T), W, atol=1e-6)


def test_orthogonal_regularizer_extremes():
    regularizer = regularizers.OrthogonalRegularizer(factor=0.5)
    assert regularizer(torch.eye(4)).item() == 0.0
    assert regularizer(torch.ones(4, 2)).item() == pytest.approx(0.5)  # all rows parallel
    with pytest.raises(ValueError, match="2-D"):
        regularizer(torch.ones(2, 2, 2))
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), "0.1"])
def test_factors_must_be_non_negative_numbers(bad):
    with pytest.raises(ValueError, match="non-negative"):
        regularizers.L2(bad)


@pytest.mark.parametrize("regularizer", [regularizers.L1(0.2), regularizers.L2(0.3),
                                         regularizers.L1L2(0.1, 0.4),
                                         regularizers.OrthogonalRegularizer(0.7, "columns")],
                         ids=lambda r: type(r).__name__)
def test_serialize_round_trip(regularizer):
    rebuilt = regularizers.deserialize(regularizers.serialize(regularizer))
    assert type(rebuilt) is type(regularizer)
    assert rebuilt.get_config() == regularizer.get_config()
    np.testing.assert_allclose(rebuilt(W).item(), regularizer(W).item())


@pytest.mark.parametrize("name, cls", [("l1", regularizers.L1), ("l2", regularizers.L2),
                                       ("l1_l2", regularizers.L1L2), ("L2", regularizers.L2),
                                       ("orthogonal_regularizer",
                                        regularizers.OrthogonalRegularizer)])
def test_get_by_name(name, cls):
    assert type(regularizers.get(name)) is cls


def test_get_accepts_objects_classes_callables_and_none():
    regularizer = regularizers.L2(0.5)
    assert regularizers.get(regularizer) is regularizer
    assert type(regularizers.get(regularizers.L1)) is regularizers.L1
    assert regularizers.get(torch.sum) is torch.sum
    assert regularizers.get(None) is None
    assert regularizers.l1_l2 is regularizers.L1L2


def test_serialize_none_and_plain_functions():
    assert regularizers.serialize(None) is None and regularizers.deserialize(None) is None
    assert regularizers.serialize(torch.sum)["config"] == "sum"


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown regularizer 'l3'.*l1, l1_l2, l2"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="Could not interpret"):
        regularizers.get(0.1)
