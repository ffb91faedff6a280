"""Integer class labels as vectors: `one_hot` (one label each) and `multi_hot` (several).

    >>> from minilib import ops
    >>> ops.one_hot(ops.convert_to_tensor([2, 0]), 3)
    tensor([[0., 0., 1.],
            [1., 0., 0.]])
"""

import torch

from minilib.backend.dtypes import to_torch_dtype
from minilib.ops.core import convert_to_tensor

__all__ = [
    "one_hot", "multi_hot",
]


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """Turn integer labels into vectors with a 1 at the label; other labels give all zeros.

    Args:
        x: integer labels of any shape.
        num_classes: length of each one-hot vector.
        axis: where the new class axis goes in the result.
        dtype: result dtype, floatx by default.
        sparse: kept for Keras compatibility; must be False.

    >>> ops.one_hot(np.array([0, 2]), 3)
    tensor([[1., 0., 0.],
            [0., 0., 1.]])
    """
    if sparse:
        raise ValueError("one_hot: sparse=True is not supported; minilib tensors are dense.")
    labels = convert_to_tensor(x).long()
    classes = torch.arange(num_classes, device=labels.device)
    # Comparing instead of indexing makes labels outside [0, num_classes) all-zero rows.
    encoded = labels.unsqueeze(-1) == classes
    return encoded.to(to_torch_dtype(dtype)).movedim(-1, axis)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False):
    """Turn rows of integer labels into vectors with a 1 at each label present.

    >>> ops.multi_hot(np.array([[0, 2], [1, 1]]), 3)
    tensor([[1., 0., 1.],
            [0., 1., 0.]])
    """
    if num_classes is None:
        raise ValueError("multi_hot: `num_classes` is required.")
    labels = convert_to_tensor(inputs)
    encoded = one_hot(labels, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return torch.amax(encoded, dim=1 if labels.ndim > 1 else 0)
