"""`moments`: the mean and variance of a tensor over some axes, in one pass.

These are the statistics that normalization layers compute over a batch::

    >>> from minilib import ops
    >>> mean, variance = ops.moments(ops.convert_to_tensor([[1.0, 2.0], [3.0, 6.0]]), axes=0)
    >>> mean, variance
    (tensor([2., 4.]), tensor([1., 4.]))
"""

import torch

from minilib.ops.core import _axes, _floating

__all__ = [
    "moments",
]


def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and population variance over `axes`, as a pair.

    `synchronized` (for multi-device batch norm in Keras) has nothing to
    synchronise on one device and is ignored.

    >>> ops.moments(np.array([1.0, 2.0, 3.0, 4.0]), axes=0)
    (tensor(2.5000), tensor(1.2500))
    """
    variance, mean = torch.var_mean(_floating(x), dim=_axes(axes), correction=0,
                                    keepdim=keepdims)
    return mean, variance
