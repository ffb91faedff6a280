"""Math ops beyond NumPy's: stable log-sum-exp, top-k, the error function.

    >>> from minilib import ops
    >>> ops.logsumexp(ops.convert_to_tensor([1000.0, 1000.0]))   # no overflow
    tensor(1000.6932)
    >>> values, indices = ops.top_k(ops.convert_to_tensor([3.0, 1.0, 2.0]), k=2)
    >>> indices
    tensor([0, 2])
"""

import torch

from minilib.ops.core import _convert_all, convert_to_tensor

__all__ = [
    "logsumexp", "top_k", "in_top_k", "erf", "rsqrt",
]


def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed without overflow.

    >>> ops.logsumexp(np.array([1000.0, 1000.0]))     # log(2 * e^1000), no overflow
    tensor(1000.6932)
    """
    x = convert_to_tensor(x)
    axes = tuple(range(x.ndim)) if axis is None else axis
    return torch.logsumexp(x, dim=axes, keepdim=keepdims)


def top_k(x, k, sorted=True):
    """The `k` largest values along the last axis and their indices, as a pair.

    >>> ops.top_k(np.array([1.0, 9.0, 3.0, 7.0]), k=2)
    (tensor([9., 7.]), tensor([1, 3]))
    """
    values, indices = torch.topk(convert_to_tensor(x), k, dim=-1, sorted=sorted)
    return values, indices


def in_top_k(targets, predictions, k):
    """For each row, whether the score of its target class is among the `k` largest.

    Ties count as hits: a target whose score equals the k-th largest is in the top k.

    >>> ops.in_top_k(np.array([1, 0]), np.array([[0.1, 0.7, 0.2], [0.1, 0.7, 0.2]]), k=1)
    tensor([ True, False])
    """
    targets, predictions = _convert_all(targets, predictions)
    target_scores = torch.take_along_dim(predictions, targets.long()[:, None], dim=-1)
    kth_largest = torch.topk(predictions, k, dim=-1).values[:, -1:]
    return (target_scores >= kth_largest).squeeze(-1)


def erf(x):
    """Element-wise Gauss error function.

    >>> ops.erf(np.array([0.0, 1.0]))
    tensor([0.0000, 0.8427])
    """
    return torch.erf(convert_to_tensor(x))


def rsqrt(x):
    """Element-wise `1 / sqrt(x)`.

    >>> ops.rsqrt(np.array([4.0, 0.25]))
    tensor([0.5000, 2.0000])
    """
    return torch.rsqrt(convert_to_tensor(x))
