"""Neural-network ops: activation functions, one-hot encoding, crossentropies, moments.

    >>> from minilib import ops
    >>> ops.softmax(ops.convert_to_tensor([0.0, 0.0]))
    tensor([0.5000, 0.5000])
    >>> ops.sparse_categorical_crossentropy([1], [[0.25, 0.75]])   # -log(0.75)
    tensor([0.2877])

The crossentropies follow Keras: probabilities are renormalised and clipped to
`[epsilon, 1 - epsilon]` before the log, so a confident wrong guess costs
about 16 rather than infinity; with `from_logits=True` the stable fused torch
functions are used instead.
"""

import torch
import torch.nn.functional as F

from minilib.backend import config
from minilib.backend.dtypes import to_torch_dtype
from minilib.ops.core import _axes, _convert_all, _floating, convert_to_tensor

__all__ = [
    "relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish", "leaky_relu",
    "hard_sigmoid", "hard_silu", "hard_swish", "elu", "selu", "gelu", "softmax", "log_softmax",
    "one_hot", "multi_hot", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "moments", "linear",
]

# Activation functions ---------------------------------------------------------


def relu(x):
    """Rectified linear unit, `max(x, 0)`.

    >>> ops.relu(np.array([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return torch.relu(convert_to_tensor(x))


def relu6(x):
    """ReLU capped at 6, `min(max(x, 0), 6)`.

    >>> ops.relu6(np.array([-1.0, 2.0, 8.0]))
    tensor([0., 2., 6.])
    """
    return F.relu6(convert_to_tensor(x))


def sigmoid(x):
    """Logistic sigmoid, `1 / (1 + exp(-x))`.

    >>> ops.sigmoid(np.array([-1.0, 0.0, 1.0]))
    tensor([0.2689, 0.5000, 0.7311])
    """
    return torch.sigmoid(convert_to_tensor(x))


def softplus(x):
    """Smooth ReLU, `log(1 + exp(x))`.

    >>> ops.softplus(np.array([-1.0, 0.0, 1.0]))
    tensor([0.3133, 0.6931, 1.3133])
    """
    return F.softplus(convert_to_tensor(x))


def softsign(x):
    """`x / (1 + |x|)`.

    >>> ops.softsign(np.array([-1.0, 0.0, 3.0]))
    tensor([-0.5000,  0.0000,  0.7500])
    """
    return F.softsign(convert_to_tensor(x))


def silu(x):
    """Sigmoid linear unit (also called swish), `x * sigmoid(x)`.

    >>> ops.silu(np.array([-1.0, 0.0, 1.0]))
    tensor([-0.2689,  0.0000,  0.7311])
    """
    return F.silu(convert_to_tensor(x))


def swish(x):
    """Another name for `silu`.

    >>> ops.swish(np.array([-1.0, 0.0, 1.0]))
    tensor([-0.2689,  0.0000,  0.7311])
    """
    return silu(x)


def leaky_relu(x, negative_slope=0.2):
    """ReLU that lets a fraction `negative_slope` of negative inputs through.

    >>> ops.leaky_relu(np.array([-2.0, 2.0]))
    tensor([-0.4000,  2.0000])
    """
    return F.leaky_relu(convert_to_tensor(x), negative_slope)


def hard_sigmoid(x):
    """Piecewise-linear sigmoid, `relu6(x + 3) / 6`.

    >>> ops.hard_sigmoid(np.array([-4.0, 0.0, 1.5, 4.0]))
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return F.hardsigmoid(convert_to_tensor(x))


def hard_silu(x):
    """Piecewise-linear silu, `x * hard_sigmoid(x)`.

    >>> ops.hard_silu(np.array([-4.0, 1.5, 4.0]))
    tensor([-0.0000, 1.1250, 4.0000])
    """
    return F.hardswish(convert_to_tensor(x))


def hard_swish(x):
    """Another name for `hard_silu`.

    >>> ops.hard_swish(np.array([-4.0, 1.5, 4.0]))
    tensor([-0.0000, 1.1250, 4.0000])
    """
    return hard_silu(x)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for positive inputs, `alpha * (exp(x) - 1)` otherwise.

    >>> ops.elu(np.array([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    return F.elu(convert_to_tensor(x), alpha)


def selu(x):
    """Scaled ELU with the self-normalising constants of Klambauer et al. (2017).

    >>> ops.selu(np.array([-1.0, 2.0]))
    tensor([-1.1113,  2.1014])
    """
    return F.selu(convert_to_tensor(x))


def gelu(x, approximate=True):
    """Gaussian error linear unit; `approximate=True` uses the tanh formula.

    >>> ops.gelu(np.array([-1.0, 0.0, 1.0]))                   # the tanh approximation
    tensor([-0.1588,  0.0000,  0.8412])
    >>> ops.gelu(np.array([-1.0, 0.0, 1.0]), approximate=False)
    tensor([-0.1587,  0.0000,  0.8413])
    """
    return F.gelu(convert_to_tensor(x), approximate="tanh" if approximate else "none")


def softmax(x, axis=-1):
    """Exponentials normalised to sum to 1 along `axis`.

    >>> ops.softmax(np.array([[1.0, 2.0, 3.0]]))
    tensor([[0.0900, 0.2447, 0.6652]])
    """
    return torch.softmax(_floating(x), dim=axis)


def log_softmax(x, axis=-1):
    """`log(softmax(x))`, computed stably.

    >>> ops.log_softmax(np.array([[1.0, 2.0, 3.0]]))
    tensor([[-2.4076, -1.4076, -0.4076]])
    """
    return torch.log_softmax(_floating(x), dim=axis)


# Encoding labels --------------------------------------------------------------


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


# Crossentropies ---------------------------------------------------------------


def _check_same_shape(target, output):
    if target.shape != output.shape:
        raise ValueError(f"target and output must have the same shape, got "
                         f"{tuple(target.shape)} and {tuple(output.shape)}.")


def _log_probabilities(output, from_logits, axis):
    """Log-probabilities along `axis` from logits or from (Keras-clipped) probabilities."""
    if from_logits:
        return torch.log_softmax(output, dim=axis)
    output = output / torch.sum(output, dim=axis, keepdim=True)
    return torch.log(torch.clamp(output, config.epsilon(), 1.0 - config.epsilon()))


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise `-(t * log(p) + (1 - t) * log(1 - p))` for targets `t` in [0, 1].

    >>> ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.9, 0.2]))
    tensor([0.1054, 0.2231])
    """
    target, output = _convert_all(target, output)
    _check_same_shape(target, output)
    target = target.to(output.dtype)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    output = torch.clamp(output, config.epsilon(), 1.0 - config.epsilon())
    return -(target * torch.log(output) + (1.0 - target) * torch.log(1.0 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`-sum(target * log(p))` along `axis`, for one-hot (or soft) targets.

    >>> ops.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))
    tensor([0.2231])
    """
    target, output = _convert_all(target, output)
    _check_same_shape(target, output)
    return -torch.sum(target * _log_probabilities(output, from_logits, axis), dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """`-log(p[target])` for integer targets; `output` has one more axis, the classes.

    >>> ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))
    tensor([0.2231])
    """
    target, output = _convert_all(target, output)
    if target.ndim == output.ndim and target.shape[axis] == 1:
        target = target.squeeze(axis)
    if from_logits and output.ndim > 1:
        # torch's fused kernel does log_softmax and the pick in one pass, backward included.
        return torch.nn.functional.cross_entropy(output.movedim(axis, 1), target.long(),
                                                 reduction="none")
    log_probabilities = _log_probabilities(output, from_logits, axis)
    picked = torch.take_along_dim(log_probabilities, target.long().unsqueeze(axis), dim=axis)
    return -picked.squeeze(axis)


# Layers -----------------------------------------------------------------------


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


# Statistics -------------------------------------------------------------------


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
