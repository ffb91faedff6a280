"""Sparse categorical crossentropy: categorical crossentropy with integer class labels.

For a class index `c` and predicted class probabilities `p`::

    loss = -log(p[c])

which is exactly `categorical_crossentropy(one_hot(c), p)` without ever
building the one-hot matrix. Labels are class indices of shape `(batch,)` or
`(batch, 1)`; they may arrive as int64 or float tensors. As in Keras,
probabilities are rescaled to sum to 1 and clipped to `[1e-7, 1 - 1e-7]`;
with `from_logits=True` a stable `log_softmax` is used instead.

`ignore_class` drops every position labelled with that class (for example
the "void" pixels of a segmentation map): they get a loss of 0, and the
default reduction averages over the remaining positions only.
"""

from minilib import ops
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import check_class_index_labels


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Return the crossentropy of each sample given integer class labels.

    Args:
        y_true: class indices, shape `(batch,)` or `(batch, 1)`.
        y_pred: class probabilities, or logits if `from_logits=True`,
            shape `(batch, num_classes)`.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: a class index (e.g. -1 or 255) whose positions get a loss of 0.
        axis: the class axis of `y_pred`.

    Returns:
        A tensor of shape `(batch,)`: `y_pred`'s shape without the class axis.

    Example:
        >>> sparse_categorical_crossentropy([1, 2], [[0.05, 0.9, 0.05], [0.5, 0.3, 0.2]])
        tensor([0.1054, 1.6094])
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis)
    check_class_index_labels(y_true, y_pred, axis)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                                   axis=axis)
    kept = y_true != ignore_class
    # Ignored positions look up class 0 (any valid index will do); their loss is zeroed below.
    labels = ops.where(kept, y_true, ops.zeros_like(y_true))
    losses = ops.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits,
                                                 axis=axis)
    return ops.where(kept, losses, ops.zeros_like(losses))


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between integer class labels and predicted class probabilities (or logits).

    Use it for a model ending in `Dense(num_classes, activation="softmax")`
    trained on labels such as `[3, 0, 7]`.

    Args:
        from_logits: set it to True when the model's last layer has no softmax.
        ignore_class: a class index whose positions are left out of the loss
            and of the average.
        reduction: as for `Loss`.
        axis: the class axis of `y_pred`.
        name, dtype: as for `Loss`.

    Example:
        >>> SparseCategoricalCrossentropy()([1, 2], [[0.05, 0.9, 0.05], [0.5, 0.3, 0.2]])
        tensor(0.8574)
    """

    takes_class_indices = True

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def mask(self, y_true, losses):
        if self.ignore_class is None:
            return None
        return ops.reshape(y_true != self.ignore_class, losses.shape)

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "ignore_class": self.ignore_class, "axis": self.axis}
