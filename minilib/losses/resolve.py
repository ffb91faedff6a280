"""Choosing the right crossentropy from the data, as `compile(loss="crossentropy")` does."""

from minilib import ops
from minilib.backend.naming import to_snake_case
from minilib.losses.binary_crossentropy import binary_crossentropy
from minilib.losses.categorical_crossentropy import categorical_crossentropy
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.registry import get
from minilib.losses.sparse_categorical_crossentropy import sparse_categorical_crossentropy

_CROSSENTROPY_BY_KIND = {
    "binary": binary_crossentropy,
    "sparse": sparse_categorical_crossentropy,
    "categorical": categorical_crossentropy,
}


def label_kind(y_true, y_pred):
    """Return `"binary"`, `"sparse"` or `"categorical"` from the shapes, as Keras's compile().

    Example:
        >>> import numpy as np
        >>> label_kind(np.zeros((32,)), np.zeros((32, 10)))
        'sparse'
    """
    true_shape, pred_shape = ops.shape(y_true), ops.shape(y_pred)
    if pred_shape[-1] == 1:
        return "binary"
    if len(true_shape) < len(pred_shape) or (true_shape[-1] == 1 and pred_shape[-1] > 1):
        return "sparse"
    return "categorical"


def resolve_loss(identifier, y_true, y_pred):
    """Return a `Loss` object for `compile(loss=identifier)`, given the first batch.

    `"crossentropy"` and `"ce"` (any case) become the crossentropy that fits
    the shapes, as Keras picks it (see `label_kind`):

    - `y_pred` ends in 1, e.g. `(32, 1)`: `"binary"`, so `binary_crossentropy`;
    - `y_true` has fewer axes than `y_pred`, or ends in 1 while `y_pred` does
      not, e.g. `(32,)` or `(32, 1)` against `(32, 10)`: `"sparse"`, so
      `sparse_categorical_crossentropy`;
    - anything else, e.g. `(32, 10)` against `(32, 10)`: `"categorical"`, so
      `categorical_crossentropy`.

    Anything else goes through `get`. A plain function is wrapped in a
    `LossFunctionWrapper` named after the identifier, so the result can always
    be called as `loss(y_true, y_pred, sample_weight)`. `minilib.metrics.resolve_metric`
    uses the same rule for `"accuracy"`.

    Args:
        identifier: what was passed to `compile(loss=...)`.
        y_true: the labels of the first batch (only the shape is used).
        y_pred: the model's output for it (only the shape is used).

    Example: integer labels against 10 class scores make "crossentropy" sparse.

    >>> loss = minilib.losses.resolve_loss("crossentropy", np.zeros((32,)), np.zeros((32, 10)))
    >>> loss, loss.fn.__name__
    (<LossFunctionWrapper name=crossentropy>, 'sparse_categorical_crossentropy')
    >>> minilib.losses.resolve_loss("mse", np.zeros((32, 1)), np.zeros((32, 1)))
    <LossFunctionWrapper name=mse>
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        loss = _CROSSENTROPY_BY_KIND[label_kind(y_true, y_pred)]
    else:
        loss = get(identifier)
    if isinstance(loss, Loss):
        return loss
    name = identifier if isinstance(identifier, str) else \
        to_snake_case(getattr(loss, "__name__", type(loss).__name__))
    return LossFunctionWrapper(loss, name=name)
