"""Initializers: how a layer fills its new weights, by name or by object.

    >>> from minilib import initializers
    >>> init = initializers.get("he_normal")           # same as initializers.HeNormal()
    >>> init((3, 4)).shape
    torch.Size([3, 4])
    >>> initializers.serialize(initializers.RandomNormal(stddev=0.1, seed=1))
    {'class_name': 'RandomNormal', 'config': {'mean': 0.0, 'stddev': 0.1, 'seed': 1}}

Every class also has its Keras snake_case name: `initializers.glorot_uniform`
is `initializers.GlorotUniform`, and `get("glorot_uniform")` builds one.
"""

import inspect

from minilib.backend.naming import to_snake_case
from minilib.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from minilib.initializers.initializer import Initializer
from minilib.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)

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


def serialize(initializer):
    """A config to save: a `{"class_name", "config"}` dict for initializer objects.

    A plain function gives its name (which `deserialize` will not know) and
    None gives None, so a layer's `get_config` always works.
    """
    if initializer is None:
        return None
    if isinstance(initializer, Initializer):
        return {"class_name": type(initializer).__name__, "config": initializer.get_config()}
    return initializer.__name__


def deserialize(config):
    """Build an initializer from a name such as `"glorot_uniform"` or a `serialize` dict."""
    if config is None:
        return None
    name = config["class_name"] if isinstance(config, dict) else config
    if name not in _BY_NAME:
        raise ValueError(f"Unknown initializer {name!r}. Valid names: "
                         f"{', '.join(sorted(_BY_NAME))}.")
    settings = config.get("config", {}) if isinstance(config, dict) else {}
    return _BY_NAME[name].from_config(settings)


def get(identifier):
    """Turn a name, a `serialize` dict, a class, an initializer or None into an initializer.

    Any callable `f(shape, dtype=None)` works too and is returned as it is.
    """
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Cannot interpret {identifier!r} as an initializer: give a name, "
                     "a config dict or a callable.")
