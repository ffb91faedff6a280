"""Finding losses by name: `get`, `serialize` and `deserialize`."""

from minilib.losses.binary_crossentropy import BinaryCrossentropy, binary_crossentropy
from minilib.losses.categorical_crossentropy import (
    CategoricalCrossentropy,
    categorical_crossentropy,
)
from minilib.losses.cosine_similarity import CosineSimilarity, cosine_similarity
from minilib.losses.hinge import Hinge, hinge
from minilib.losses.huber import Huber, huber
from minilib.losses.kl_divergence import KLDivergence, kl_divergence
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.mean_absolute_error import MeanAbsoluteError, mean_absolute_error
from minilib.losses.mean_absolute_percentage_error import (
    MeanAbsolutePercentageError,
    mean_absolute_percentage_error,
)
from minilib.losses.mean_squared_error import MeanSquaredError, mean_squared_error
from minilib.losses.sparse_categorical_crossentropy import (
    SparseCategoricalCrossentropy,
    sparse_categorical_crossentropy,
)
from minilib.serialization.named_family import NamedFamily

_CLASSES = (
    Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    Huber, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    KLDivergence, Hinge, CosineSimilarity,
)
_FUNCTIONS = (
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error, huber,
    binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
    kl_divergence, hinge, cosine_similarity,
)
_ABBREVIATIONS = {
    "mse": mean_squared_error, "mae": mean_absolute_error,
    "mape": mean_absolute_percentage_error, "kld": kl_divergence, "bce": binary_crossentropy,
}

ALL_LOSSES = {
    **{cls.__name__: cls for cls in _CLASSES},
    **{fn.__name__: fn for fn in _FUNCTIONS},
    **_ABBREVIATIONS,
    **{short.upper(): fn for short, fn in _ABBREVIATIONS.items()},
}
"""Every name `get` understands, mapped to its class or function."""


_family = NamedFamily("loss", ALL_LOSSES, base_class=Loss)
serialize = _family.serialize
deserialize = _family.deserialize


def get(identifier):
    """Return the loss that `identifier` names, ready to call as `loss(y_true, y_pred)`.

    `model.compile(loss="mse")` works because `get("mse")` looks the string up
    in `ALL_LOSSES`. As in Keras, the name of a *function* (`"mean_squared_error"`,
    `"mse"`) gives that function, and the name of a *class* (`"MeanSquaredError"`)
    gives a new instance with default arguments. `serialize` and `deserialize`
    save and rebuild a loss (see `minilib.serialization.NamedFamily`).

    Args:
        identifier: `None`; a name such as `"mse"`, `"mean_squared_error"` or
            `"MeanSquaredError"`; a `Loss` class or instance; a function
            `f(y_true, y_pred)`; or a config dict as made by `serialize`.

    Returns:
        A function or a `Loss` instance (`None` for `None`).

    Example:

    >>> minilib.losses.get("mse")
    <function mean_squared_error at ...>
    >>> minilib.losses.get("MeanSquaredError")
    <MeanSquaredError name=mean_squared_error>
    >>> minilib.losses.get({"class_name": "CategoricalCrossentropy",
    ...                     "config": {"from_logits": True}}).from_logits
    True
    >>> minilib.losses.serialize(minilib.losses.Huber(delta=2.0))
    {'module': 'keras.losses', 'class_name': 'Huber',
     'config': {'name': 'huber_loss', 'reduction': 'sum_over_batch_size', 'delta': 2.0},
     'registered_name': None}
    """
    return _family.get(identifier)
