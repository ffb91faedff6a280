"""`linear`: a Dense layer's `inputs @ kernel + bias` as one fused torch call.

Keras has no such op; minilib adds it because one call to `torch.addmm` is
faster than a `matmul` followed by an `add`, and `Dense` calls it::

    >>> from minilib import ops
    >>> ops.linear(ops.ones((32, 3)), ops.ones((3, 4)), bias=ops.zeros((4,))).shape
    torch.Size([32, 4])
"""

import torch

from minilib.ops.core import _convert_all

__all__ = [
    "linear",
]


def linear(inputs, kernel, bias=None):
    """`inputs @ kernel + bias`, the computation of a Dense layer (a minilib addition).

    Keras writes it as `ops.add(ops.matmul(inputs, kernel), bias)`; this gives the
    same numbers with one fused torch call (`addmm`) for 2-D inputs, which is
    faster, in the backward pass too. `kernel` has shape `(input_dim, units)`.

    >>> ops.linear(np.ones((2, 3)), np.ones((3, 4)), bias=np.arange(4.0))
    tensor([[3., 4., 5., 6.],
            [3., 4., 5., 6.]])
    """
    if bias is None:
        return torch.matmul(*_convert_all(inputs, kernel))
    inputs, kernel, bias = _convert_all(inputs, kernel, bias)
    if inputs.ndim == 2:
        return torch.addmm(bias, inputs, kernel)
    return torch.matmul(inputs, kernel) + bias
