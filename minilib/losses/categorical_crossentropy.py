"""Categorical crossentropy: the loss for one-of-N classification with one-hot labels.

For a one-hot (or probability) label vector `y` and predicted class
probabilities `p`::

    loss = -sum(y * log(p))        over the class axis

As in Keras, `p` is first rescaled to sum to 1 and clipped to
`[epsilon, 1 - epsilon]` (epsilon = 1e-7). With `from_logits=True`, `y_pred`
holds raw scores and the loss uses a stable `log_softmax` instead.

If your labels are class indices such as `[3, 0, 7]` rather than one-hot
rows, use `SparseCategoricalCrossentropy`: same loss, no one-hot matrix.
"""

import warnings

from minilib import ops
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import check_one_hot_labels


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Return the categorical crossentropy of each sample.

    Args:
        y_true: one-hot labels, shape `(batch, num_classes)`.
        y_pred: class probabilities, or logits if `from_logits=True`; the same shape.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; mixes the labels with the uniform distribution:
            `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
        axis: the class axis.

    Returns:
        A tensor of shape `(batch,)`: `y_pred`'s shape without the class axis.

    Example:
        >>> categorical_crossentropy([[0.0, 1.0, 0.0]], [[0.05, 0.9, 0.05]])   # -log 0.9
        tensor([0.1054])
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    check_one_hot_labels(y_true, y_pred, axis)
    if y_pred.shape[axis] == 1:
        warnings.warn(
            f"categorical_crossentropy: y_pred has shape {tuple(y_pred.shape)}, a single class, "
            "so the loss is always 0. For two classes with one output unit use "
            "binary_crossentropy.", stacklevel=2)
    if label_smoothing:
        num_classes = y_true.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between one-hot labels and predicted class probabilities (or logits).

    Use it for a model ending in `Dense(num_classes, activation="softmax")`
    trained on one-hot labels.

    Args:
        from_logits: set it to True when the model's last layer has no softmax.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + s / num_classes`.
        axis: the class axis.
        reduction, name, dtype: as for `Loss`.

    Example:
        >>> CategoricalCrossentropy()([[0.0, 1.0, 0.0]], [[0.05, 0.9, 0.05]])
        tensor(0.1054)
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}
