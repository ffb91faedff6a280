"""Activation functions: the non-linearities between layers (relu, sigmoid, gelu, softmax, ...).

Each is applied value by value, except `softmax` and `log_softmax`, which
normalise along an axis. `minilib.activations` wraps these for layers, as in
`Dense(4, activation="relu")`::

    >>> from minilib import ops
    >>> ops.relu(ops.convert_to_tensor([-1.0, 2.0]))
    tensor([0., 2.])
    >>> ops.softmax(ops.convert_to_tensor([0.0, 0.0]))
    tensor([0.5000, 0.5000])
"""

import torch
import torch.nn.functional as F

from minilib.ops.core import _floating, convert_to_tensor

__all__ = [
    "relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish", "leaky_relu",
    "hard_sigmoid", "hard_silu", "hard_swish", "elu", "selu", "gelu", "softmax", "log_softmax",
]


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
