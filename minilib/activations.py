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


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, optionally leaky, capped and shifted.

    Returns `x` above `threshold`, `negative_slope * (x - threshold)` below it,
    and never more than `max_value`. The defaults give `max(x, 0)`.
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)  # the usual case, in a single torch kernel
    x = ops.convert_to_tensor(x)
    below = ops.multiply(negative_slope, ops.subtract(x, threshold))
    result = ops.where(ops.greater(x, threshold), x, below)
    return result if max_value is None else ops.minimum(result, max_value)


def leaky_relu(x, negative_slope=0.2):
    """ReLU that keeps a fraction `negative_slope` of negative inputs."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """ReLU capped at 6."""
    return ops.relu6(x)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if positive, else `alpha * (exp(x) - 1)`."""
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled exponential linear unit, which keeps activations normalised."""
    return ops.selu(x)


def gelu(x, approximate=False):
    """Gaussian error linear unit, `x * P(X <= x)` for a standard normal `X`."""
    return ops.gelu(x, approximate=approximate)


def sigmoid(x):
    """Logistic sigmoid, `1 / (1 + exp(-x))`."""
    return ops.sigmoid(x)


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: 0 below -3, 1 above 3, `x / 6 + 0.5` between."""
    return ops.hard_sigmoid(x)


def silu(x):
    """Sigmoid linear unit, `x * sigmoid(x)`, also called swish."""
    return ops.silu(x)


def hard_silu(x):
    """Piecewise-linear silu, `x * hard_sigmoid(x)`, also called hard swish."""
    return ops.hard_silu(x)


def tanh(x):
    """Hyperbolic tangent."""
    return ops.tanh(x)


def softplus(x):
    """`log(1 + exp(x))`, a smooth ReLU."""
    return ops.softplus(x)


def softsign(x):
    """`x / (1 + |x|)`."""
    return ops.softsign(x)


def mish(x):
    """`x * tanh(softplus(x))`."""
    x = ops.convert_to_tensor(x)
    return ops.multiply(x, ops.tanh(ops.softplus(x)))


def softmax(x, axis=-1):
    """Exponentials normalised to sum to 1 along `axis`: a probability distribution."""
    return ops.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """Logarithm of `softmax`, computed stably."""
    return ops.log_softmax(x, axis=axis)


def exponential(x):
    """`exp(x)`."""
    return ops.exp(x)


def linear(x):
    """The identity: returns `x` unchanged (as a tensor)."""
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


def deserialize(config, custom_objects=None):
    """The activation function that `config` names: a name such as `"relu"` or a saved dict.

    Your own functions are found the way every loader finds them (see
    `minilib.saving.get_registered_object`): in `custom_objects`, in an active
    `custom_object_scope`, or by the name they were registered under.
    """
    from minilib.saving import object_registry, serialization

    if isinstance(config, dict):
        return serialization.deserialize_keras_object(config, custom_objects)
    found = object_registry.get_registered_object(config, custom_objects, _BY_NAME)
    if not callable(found):
        raise ValueError(f"Unknown activation {config!r}. Valid names: "
                         f"{', '.join(sorted(_BY_NAME))}; for your own function, register "
                         f"it or pass custom_objects={{{config!r}: function}}.")
    return found


def serialize(activation):
    """What a layer's config stores for `activation`, in Keras's format.

    A built-in gives its name, `"relu"` for `relu`. Your own function gives
    `{"module": "builtins", "class_name": "function", "config": name, ...}`,
    where `name` is the one it was registered under (or its own name), so that
    `deserialize` can find it again when loading.
    """
    from minilib.saving.serialization import serialize_keras_object

    name = getattr(activation, "__name__", None)
    if name is not None and _BY_NAME.get(name) is activation:
        return name
    if name is None and not hasattr(activation, "get_config"):
        raise ValueError(f"Cannot serialize {activation!r}: it has no `__name__`.")
    return serialize_keras_object(activation)


def get(identifier):
    """Turn a name, a saved dict, a function or `None` (meaning `linear`) into a function."""
    if identifier is None:
        return linear
    if isinstance(identifier, str | dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Cannot interpret {identifier!r} as an activation: "
                     "give a name, a function or None.")
