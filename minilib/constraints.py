"""Constraints: rules a weight must obey, re-applied after every optimizer step."""

from minilib import ops
from minilib.backend import config
from minilib.serialization.named_family import NamedFamily


class Constraint:
    """Base class: `constraint(w)` returns the projected weight.

    A constraint is called with a weight and returns the nearest weight that obeys
    it; the optimizer writes that back after each update. Layers take one by name
    or object, e.g. `Dense(4, kernel_constraint="non_neg")`.

    Keras's conventions hold: a Dense kernel has shape `(input_dim, units)`, and
    norms are taken over `axis=0`, so each unit's incoming weight vector is limited.

    Example, a constraint of your own: weights stay in [-1, 1].

    >>> class ClipToOne(minilib.constraints.Constraint):
    ...     def __call__(self, w):
    ...         return ops.clip(w, -1.0, 1.0)
    >>> ClipToOne()(np.array([-3.0, 0.5, 2.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """

    def __call__(self, w):
        return w

    def get_config(self):
        """The constructor arguments, as a dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class NonNeg(Constraint):
    """Negative weights become 0: `w = max(w, 0)`.

    Example:

    >>> layer = minilib.layers.Dense(4, kernel_constraint=minilib.constraints.NonNeg())
    >>> layer.kernel_constraint(np.array([[-1.0, 2.0]]))   # after each step: kernel >= 0
    tensor([[0., 2.]])
    """

    def __call__(self, w):
        return ops.relu(w)


class MaxNorm(Constraint):
    """Weight vectors longer than `max_value` (the norm over `axis`) are scaled down to it.

    Example: the first column has length 5, the second length 1.

    >>> minilib.constraints.MaxNorm(max_value=2)(np.array([[3.0, 1.0], [4.0, 0.0]]))
    tensor([[1.2000, 1.0000],
            [1.6000, 0.0000]])
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        norms = ops.sqrt(ops.sum(ops.square(w), axis=self.axis, keepdims=True))
        wanted = ops.clip(norms, 0, self.max_value)
        return ops.multiply(w, ops.divide(wanted, ops.add(norms, config.epsilon())))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class UnitNorm(Constraint):
    """Weight vectors (over `axis`) are scaled to length 1.

    Example:

    >>> minilib.constraints.UnitNorm()(np.array([[3.0, 1.0], [4.0, 0.0]]))
    tensor([[0.6000, 1.0000],
            [0.8000, 0.0000]])
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        norms = ops.sqrt(ops.sum(ops.square(w), axis=self.axis, keepdims=True))
        return ops.divide(w, ops.add(norms, config.epsilon()))

    def get_config(self):
        return {"axis": self.axis}


non_neg = NonNeg
max_norm = MaxNorm
unit_norm = UnitNorm

_BY_NAME = {"NonNeg": NonNeg, "MaxNorm": MaxNorm, "UnitNorm": UnitNorm,
            "non_neg": NonNeg, "max_norm": MaxNorm, "unit_norm": UnitNorm}

_family = NamedFamily("constraint", _BY_NAME, base_class=Constraint)
serialize = _family.serialize
deserialize = _family.deserialize
get = _family.get

__all__ = [
    "Constraint", "MaxNorm", "NonNeg", "UnitNorm", "max_norm", "non_neg", "unit_norm",
    "deserialize", "get", "serialize",
]
