"""Activation functions, looked up by name as in `keras.activations`.

Layers accept `activation="relu"` or any function; `get` turns either into a function::

    >>> from minilib import activations
    >>> activations.get("relu")([-1.0, 2.0])
    tensor([0., 2.])
    >>> activations.serialize(activations.get(None))   # no activation means linear
    'linear'

Note one difference from `minilib.ops`: `activations.gelu` is exact by default,
while `ops.gelu` defaults to the tanh approximation, as in Keras.
"""

from minilib import ops
from minilib.serialization.named_family import NamedFamily


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, optionally leaky, capped and shifted.

    Returns `x` above `threshold`, `negative_slope * (x - threshold)` below it,
    and never more than `max_value`. The defaults give `max(x, 0)`.

    Example:

    >>> minilib.activations.relu(np.array([-2.0, 0.0, 8.0]))
    tensor([0., 0., 8.])
    >>> minilib.activations.relu(np.array([-2.0, 0.0, 8.0]), negative_slope=0.1, max_value=6.0)
    tensor([-0.2000,  0.0000,  6.0000])
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)  # the usual case, in a single torch kernel
    x = ops.convert_to_tensor(x)
    below = ops.multiply(negative_slope, ops.subtract(x, threshold))
    result = ops.where(ops.greater(x, threshold), x, below)
    return result if max_value is None else ops.minimum(result, max_value)


def leaky_relu(x, negative_slope=0.2):
    """ReLU that keeps a fraction `negative_slope` of negative inputs.

    Example:

    >>> minilib.activations.leaky_relu(np.array([-2.0, 2.0]))
    tensor([-0.4000,  2.0000])
    """
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """ReLU capped at 6.

    Example:

    >>> minilib.activations.relu6(np.array([-2.0, 3.0, 8.0]))
    tensor([0., 3., 6.])
    """
    return ops.relu6(x)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if positive, else `alpha * (exp(x) - 1)`.

    Example:

    >>> minilib.activations.elu(np.array([-1.0, 2.0]))          # exp(-1) - 1 = -0.6321
    tensor([-0.6321,  2.0000])
    """
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled exponential linear unit, which keeps activations normalised.

    Example:

    >>> minilib.activations.selu(np.array([-1.0, 2.0]))
    tensor([-1.1113,  2.1014])
    """
    return ops.selu(x)


def gelu(x, approximate=False):
    """Gaussian error linear unit, `x * P(X <= x)` for a standard normal `X`.

    Example:

    >>> minilib.activations.gelu(np.array([-1.0, 0.0, 1.0]))
    tensor([-0.1587,  0.0000,  0.8413])
    >>> minilib.activations.gelu(np.array([-1.0, 0.0, 1.0]), approximate=True)   # the tanh formula
    tensor([-0.1588,  0.0000,  0.8412])
    """
    return ops.gelu(x, approximate=approximate)


def sigmoid(x):
    """Logistic sigmoid, `1 / (1 + exp(-x))`.

    Example:

    >>> minilib.activations.sigmoid(np.array([-1.0, 0.0, 1.0]))
    tensor([0.2689, 0.5000, 0.7311])
    """
    return ops.sigmoid(x)


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: 0 below -3, 1 above 3, `x / 6 + 0.5` between.

    Example:

    >>> minilib.activations.hard_sigmoid(np.array([-4.0, 0.0, 1.5, 4.0]))
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return ops.hard_sigmoid(x)


def silu(x):
    """Sigmoid linear unit, `x * sigmoid(x)`, also called swish.

    Example:

    >>> minilib.activations.silu(np.array([-1.0, 0.0, 1.0]))
    tensor([-0.2689,  0.0000,  0.7311])
    >>> minilib.activations.swish is minilib.activations.silu
    True
    """
    return ops.silu(x)


def hard_silu(x):
    """Piecewise-linear silu, `x * hard_sigmoid(x)`, also called hard swish.

    Example:

    >>> minilib.activations.hard_silu(np.array([-4.0, 1.5, 4.0]))
    tensor([-0.0000, 1.1250, 4.0000])
    """
    return ops.hard_silu(x)


def tanh(x):
    """Hyperbolic tangent.

    Example:

    >>> minilib.activations.tanh(np.array([-1.0, 0.0, 1.0]))
    tensor([-0.7616,  0.0000,  0.7616])
    """
    return ops.tanh(x)


def softplus(x):
    """`log(1 + exp(x))`, a smooth ReLU.

    Example:

    >>> minilib.activations.softplus(np.array([-1.0, 0.0, 1.0]))     # log 2 = 0.6931 at 0
    tensor([0.3133, 0.6931, 1.3133])
    """
    return ops.softplus(x)


def softsign(x):
    """`x / (1 + |x|)`.

    Example:

    >>> minilib.activations.softsign(np.array([-1.0, 0.0, 3.0]))
    tensor([-0.5000,  0.0000,  0.7500])
    """
    return ops.softsign(x)


def mish(x):
    """`x * tanh(softplus(x))`.

    Example:

    >>> minilib.activations.mish(np.array([-1.0, 0.0, 1.0]))
    tensor([-0.3034,  0.0000,  0.8651])
    """
    x = ops.convert_to_tensor(x)
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


def softmax(x, axis=-1):
    """Exponentials normalised to sum to 1 along `axis`: a probability distribution.

    Example:

    >>> minilib.activations.softmax(np.array([[1.0, 2.0, 3.0]]))       # each row sums to 1
    tensor([[0.0900, 0.2447, 0.6652]])
    """
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """Logarithm of `softmax`, computed stably.

    Example:

    >>> minilib.activations.log_softmax(np.array([[1.0, 2.0, 3.0]]))
    tensor([[-2.4076, -1.4076, -0.4076]])
    """
    return ops.log_softmax(x, axis=axis)


def exponential(x):
    """`exp(x)`.

    Example:

    >>> minilib.activations.exponential(np.array([0.0, 1.0]))
    tensor([1.0000, 2.7183])
    """
    return ops.exp(x)


def linear(x):
    """The identity: returns `x` unchanged (as a tensor).

    Example:

    >>> minilib.activations.linear([1.0, -2.0])
    tensor([ 1., -2.])
    """
    return ops.convert_to_tensor(x)


swish = silu
hard_swish = hard_silu

_BY_NAME = {
    function.__name__: function
    for function in (
        relu, leaky_relu, relu6, elu, selu, gelu, sigmoid, hard_sigmoid, silu, hard_silu,
        tanh, softplus, softsign, mish, softmax, log_softmax, exponential, linear,
    )
}
_BY_NAME.update(swish=silu, hard_swish=hard_silu)

_family = NamedFamily("activation", _BY_NAME, when_none=linear)
deserialize = _family.deserialize
get = _family.get


def serialize(activation):
    """What a layer's config stores for `activation`, in Keras's format.

    A built-in gives its name, `"relu"` for `relu`. Your own function gives
    `{"module": "builtins", "class_name": "function", "config": name, ...}`,
    where `name` is the one it was registered under (or its own name), so that
    `deserialize` can find it again when loading.

    Example:

    >>> minilib.activations.serialize(minilib.activations.relu)
    'relu'
    >>> def halve(x):
    ...     return x / 2
    >>> minilib.activations.serialize(halve)
    {'module': 'builtins', 'class_name': 'function', 'config': 'halve',
     'registered_name': 'function'}
    """
    name = getattr(activation, "__name__", None)
    if name is not None and _BY_NAME.get(name) is activation:
        return name
    if name is None and not hasattr(activation, "get_config"):
        raise ValueError(f"Cannot serialize {activation!r}: it has no `__name__`.")
    return _family.serialize(activation)


__all__ = [
    "elu", "exponential", "gelu", "hard_sigmoid", "hard_silu", "hard_swish", "leaky_relu",
    "linear", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu", "softmax",
    "softplus", "softsign", "swish", "tanh",
    "deserialize", "get", "serialize",
]
