"""minilib.ops math: logsumexp, top_k, in_top_k, erf, rsqrt."""

import numpy as np
import pytest
import torch

from minilib import ops
from tests.helpers.torch_oracle import assert_matches_torch, random_floats

X = random_floats(3, 5)


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_matches_torch(axis, keepdims):
    dims = (0, 1) if axis is None else axis
    assert_matches_torch(lambda x: ops.logsumexp(x, axis=axis, keepdims=keepdims),
                         lambda x: torch.logsumexp(x, dim=dims, keepdim=keepdims), X)


def test_logsumexp_does_not_overflow():
    assert ops.logsumexp(np.array([1000.0, 1000.0], dtype=np.float32)).item() == pytest.approx(
        1000.0 + np.log(2.0))


def test_top_k_matches_torch():
    assert_matches_torch(lambda x: ops.top_k(x, 2), lambda x: tuple(torch.topk(x, 2)), X)
    values, indices = ops.top_k([3.0, 1.0, 2.0], k=2)
    np.testing.assert_array_equal(indices.numpy(), [0, 2])
    np.testing.assert_array_equal(values.numpy(), [3.0, 2.0])


def test_in_top_k_counts_ties_as_hits():
    predictions = [[0.1, 0.5, 0.5, 0.2], [0.9, 0.05, 0.03, 0.02]]
    np.testing.assert_array_equal(ops.in_top_k([2, 1], predictions, k=1).numpy(), [True, False])
    np.testing.assert_array_equal(ops.in_top_k([3, 1], predictions, k=2).numpy(), [False, True])


def test_erf_and_rsqrt_match_torch():
    assert_matches_torch(ops.erf, torch.erf, X)
    assert_matches_torch(ops.rsqrt, torch.rsqrt, random_floats(4, low=0.5, high=2.0), atol=1e-5)
