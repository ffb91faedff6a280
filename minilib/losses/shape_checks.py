"""Shape checks that turn the most common label mistakes into errors you can act on.

They run on every batch, so each one only compares shapes (a few Python
comparisons); none of them looks at the values, which would make the CPU
wait for the GPU.
"""

from minilib import ops
from minilib.losses.reduction import squeeze_or_expand_to_same_rank


def _class_index_shapes(y_pred, axis):
    """The two shapes integer class indices for `y_pred` may have: `(batch,)` and `(batch, 1)`."""
    without_classes = list(y_pred.shape)
    del without_classes[axis]
    with_one = list(y_pred.shape)
    with_one[axis] = 1
    return tuple(without_classes), tuple(with_one)


def check_same_shape(loss_name, y_true, y_pred):
    """Raise a `ValueError` naming both shapes unless `y_true` and `y_pred` match.

    Call it after `squeeze_or_expand_to_same_rank`, so `(32,)` against
    `(32, 1)` has already been lined up. Without this check, `(32, 1)` against
    `(32, 10)` would broadcast silently into a meaningless loss.
    """
    if y_true.shape == y_pred.shape:
        return
    message = (f"{loss_name}: y_true and y_pred must have the same shape, but y_true has "
               f"shape {tuple(y_true.shape)} and y_pred has shape {tuple(y_pred.shape)}.")
    if y_pred.ndim > 0 and y_pred.shape[-1] > 1 and \
            tuple(y_true.shape) in _class_index_shapes(y_pred, -1):
        message += (f" y_true looks like integer class indices for {y_pred.shape[-1]} "
                    "classes: for that use SparseCategoricalCrossentropy "
                    "(loss='sparse_categorical_crossentropy'). If the model should output one "
                    "value per sample instead, end it with a layer of 1 unit.")
    raise ValueError(message)


def to_matching_tensors(loss_name, y_true, y_pred):
    """Return `y_true` and `y_pred` as tensors of one shape, or raise naming both shapes.

    The first lines of every loss that compares its inputs element by element:
    both become tensors of `y_pred`'s dtype, their ranks are lined up with
    `squeeze_or_expand_to_same_rank`, then `check_same_shape` runs.

    Example:
        >>> y_true, y_pred = to_matching_tensors("MeanSquaredError", [1, 2], [[1.5], [2.5]])
        >>> y_true
        tensor([[1.],
                [2.]])
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_same_shape(loss_name, y_true, y_pred)
    return y_true, y_pred


def check_one_hot_labels(y_true, y_pred, axis=-1):
    """Raise unless `y_true` is one-hot (or a probability vector) shaped like `y_pred`."""
    if y_true.shape == y_pred.shape:
        return
    message = (f"CategoricalCrossentropy expects one-hot labels y_true with the same shape as "
               f"y_pred {tuple(y_pred.shape)}, but got y_true of shape {tuple(y_true.shape)}.")
    if tuple(y_true.shape) in _class_index_shapes(y_pred, axis):
        message += (" These look like integer class indices: use SparseCategoricalCrossentropy "
                    "(loss='sparse_categorical_crossentropy'), or one-hot encode them with "
                    f"ops.one_hot(y_true, {y_pred.shape[axis]}).")
    raise ValueError(message)


def check_class_index_labels(y_true, y_pred, axis=-1):
    """Raise unless `y_true` holds one class index per prediction, e.g. `(batch,)`.

    Call it after squeezing a `(batch, 1)` label tensor to `(batch,)`.
    """
    index_shape, index_shape_with_one = _class_index_shapes(y_pred, axis)
    if tuple(y_true.shape) == index_shape:
        return
    message = (f"SparseCategoricalCrossentropy expects y_true to hold integer class indices of "
               f"shape {index_shape} or {index_shape_with_one} for y_pred of shape "
               f"{tuple(y_pred.shape)}, but got y_true of shape {tuple(y_true.shape)}.")
    if y_true.shape == y_pred.shape:
        message += (" These look like one-hot labels: use CategoricalCrossentropy "
                    "(loss='categorical_crossentropy'), or turn them into class indices with "
                    "ops.argmax(y_true, axis=-1).")
    raise ValueError(message)
