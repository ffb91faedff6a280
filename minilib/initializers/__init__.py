"""Initializers: how a layer fills its new weights, by name or by object.

    >>> from minilib import initializers
    >>> init = initializers.get("he_normal")           # same as initializers.HeNormal()
    >>> init((3, 4)).shape
    torch.Size([3, 4])
    >>> initializers.serialize(initializers.RandomNormal(stddev=0.1, seed=1))
    {'module': 'keras.initializers', 'class_name': 'RandomNormal',
     'config': {'mean': 0.0, 'stddev': 0.1, 'seed': 1}, 'registered_name': None}

Every class also has its Keras snake_case name: `initializers.glorot_uniform`
is `initializers.GlorotUniform`, and `get("glorot_uniform")` builds one.
"""

from minilib.backend.naming import to_snake_case
from minilib.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from minilib.initializers.initializer import Initializer
from minilib.initializers.random_initializers import (
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
)
from minilib.initializers.variance_scaling import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
)
from minilib.serialization.named_family import NamedFamily

constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
identity = Identity
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
ones = Ones
orthogonal = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
zeros = Zeros

_CLASSES = (
    Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Identity, LecunNormal,
    LecunUniform, Ones, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal,
    VarianceScaling, Zeros,
)
_BY_NAME = {cls.__name__: cls for cls in _CLASSES}
_BY_NAME.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
# Short names from older Keras code, e.g. Dense(..., kernel_initializer="uniform").
_BY_NAME.update(zero=Zeros, one=Ones, normal=RandomNormal, uniform=RandomUniform)

_family = NamedFamily("initializer", _BY_NAME, base_class=Initializer)
serialize = _family.serialize
deserialize = _family.deserialize
get = _family.get

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal",
    "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros",
    "constant", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity",
    "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal", "random_uniform",
    "truncated_normal", "variance_scaling", "zeros",
    "deserialize", "get", "serialize",
]
