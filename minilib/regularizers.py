"""Regularizers: penalties on weights that training adds to the loss."""

import math

from minilib import ops
from minilib.backend import config
from minilib.serialization.named_family import NamedFamily


def _non_negative(value, name):
    """`value` as a float, after checking it is a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}.")
    return float(value)


class Regularizer:
    """Base class: `regularizer(weights)` returns a scalar penalty tensor.

    Layers take one by name or object, e.g. `Dense(10, kernel_regularizer="l2")`;
    the penalty of every regularized weight is added to the loss during training
    (the layer's `losses` list them). Subclasses implement `__call__` and
    `get_config` (the constructor arguments).

    Example, a regularizer of your own, then the penalty a Dense layer reports:

    >>> class SumOfWeights(minilib.regularizers.Regularizer):
    ...     def __init__(self, factor=0.01):
    ...         self.factor = factor
    ...     def __call__(self, x):
    ...         return self.factor * ops.sum(x)
    ...     def get_config(self):
    ...         return {"factor": self.factor}
    >>> SumOfWeights(0.5)([1.0, 2.0])
    tensor(1.5000)
    >>> layer = minilib.layers.Dense(2, kernel_initializer="ones",
    ...                              kernel_regularizer=minilib.regularizers.L2(0.1))
    >>> _ = layer(np.ones((1, 3)))
    >>> layer.losses                       # 0.1 * (6 weights of 1)
    [tensor(0.6000, grad_fn=<MulBackward0>)]
    """

    def __call__(self, x):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__.")

    def get_config(self):
        """The constructor arguments, as a dict."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_config.")

    @classmethod
    def from_config(cls, config):
        """Build a regularizer from the dict returned by `get_config`."""
        return cls(**config)


class L1(Regularizer):
    """`l1 * sum(|x|)`: pushes weights to exactly zero, giving sparse models.

    Example:

    >>> minilib.regularizers.L1(0.1)([1.0, -2.0])       # 0.1 * (1 + 2)
    tensor(0.3000)
    """

    def __init__(self, l1=0.01):
        self.l1 = _non_negative(l1, "l1")

    def __call__(self, x):
        return ops.multiply(self.l1, ops.sum(ops.abs(x)))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """`l2 * sum(x ** 2)`, also called weight decay: keeps weights small.

    Example:

    >>> minilib.regularizers.L2(0.1)([1.0, 2.0])        # 0.1 * (1 + 4)
    tensor(0.5000)
    """

    def __init__(self, l2=0.01):
        self.l2 = _non_negative(l2, "l2")

    def __call__(self, x):
        return ops.multiply(self.l2, ops.sum(ops.square(x)))

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x ** 2)`.

    Example:

    >>> minilib.regularizers.L1L2(l1=0.1, l2=0.01)([1.0, -2.0])     # 0.1 * 3 + 0.01 * 5
    tensor(0.3500)
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _non_negative(l1, "l1")
        self.l2 = _non_negative(l2, "l2")

    def __call__(self, x):
        return ops.add(ops.multiply(self.l1, ops.sum(ops.abs(x))),
                       ops.multiply(self.l2, ops.sum(ops.square(x))))

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Penalises a 2-D kernel whose rows (or columns) are not orthogonal to each other.

    The penalty is `factor` times the mean of `|cos(angle)|` over all pairs of
    distinct rows (`mode="rows"`) or columns (`mode="columns"`): 0 when they are
    mutually orthogonal, `factor` when they are all parallel.

    Example:

    >>> penalty = minilib.regularizers.OrthogonalRegularizer(factor=0.1)
    >>> penalty(np.array([[1.0, 0.0], [0.0, 2.0]]))       # orthogonal rows
    tensor(0.)
    >>> penalty(np.array([[1.0, 1.0], [2.0, 2.0]]))       # parallel rows
    tensor(0.1000)
    """

    def __init__(self, factor=0.01, mode="rows"):
        if mode not in ("rows", "columns"):
            raise ValueError(f"mode must be 'rows' or 'columns', got {mode!r}.")
        self.factor = _non_negative(factor, "factor")
        self.mode = mode

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        if x.ndim != 2:
            raise ValueError(f"OrthogonalRegularizer needs a 2-D kernel, got shape "
                             f"{tuple(x.shape)}.")
        vectors = x if self.mode == "rows" else ops.transpose(x)
        lengths = ops.maximum(ops.norm(vectors, axis=1, keepdims=True), config.epsilon())
        units = ops.divide(vectors, lengths)
        cosines = ops.matmul(units, ops.transpose(units))
        count = vectors.shape[0]
        off_diagonal = ops.multiply(cosines, ops.subtract(1.0, ops.eye(count, dtype=x.dtype)))
        # Each pair appears twice in the symmetric matrix: count * (count - 1) entries.
        mean_cosine = ops.divide(ops.sum(ops.abs(off_diagonal)), count * (count - 1))
        return ops.multiply(self.factor, mean_cosine)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_BY_NAME = {
    "L1": L1, "L2": L2, "L1L2": L1L2, "OrthogonalRegularizer": OrthogonalRegularizer,
    "l1": L1, "l2": L2, "l1_l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer,
}

_family = NamedFamily("regularizer", _BY_NAME, base_class=Regularizer)
serialize = _family.serialize
deserialize = _family.deserialize
get = _family.get

__all__ = [
    "L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer",
    "l1", "l1_l2", "l2", "orthogonal_regularizer",
    "deserialize", "get", "serialize",
]
