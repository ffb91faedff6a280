"""minilib.losses: what a model minimises, with Keras's names, arguments and numbers.

Each loss comes in two forms: a function that returns one loss per sample,
and a class that also weights and averages them::

    >>> from minilib import losses
    >>> losses.mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])          # per sample
    tensor([0.5000])
    >>> losses.MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]])           # one number
    tensor(0.5000)
    >>> losses.get("sparse_categorical_crossentropy")                  # by name
    <function sparse_categorical_crossentropy at ...>

One file per loss; `loss.py` has the base class and `reduction.py` the
weighting and averaging rules.
"""

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
from minilib.losses.registry import ALL_LOSSES, deserialize, get, serialize
from minilib.losses.resolve import label_kind, resolve_loss
from minilib.losses.sparse_categorical_crossentropy import (
    SparseCategoricalCrossentropy,
    sparse_categorical_crossentropy,
)

# The short names Keras also exports.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
kld = KLD = kl_divergence

__all__ = [
    "ALL_LOSSES", "BinaryCrossentropy", "CategoricalCrossentropy", "CosineSimilarity", "Hinge",
    "Huber", "KLD", "KLDivergence", "Loss", "LossFunctionWrapper", "MAE", "MAPE", "MSE",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
    "SparseCategoricalCrossentropy", "binary_crossentropy", "categorical_crossentropy",
    "cosine_similarity", "deserialize", "get", "hinge", "huber", "kl_divergence", "kld",
    "label_kind", "mae", "mape", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mse", "resolve_loss", "serialize", "sparse_categorical_crossentropy",
]
