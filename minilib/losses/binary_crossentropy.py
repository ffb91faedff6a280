"""Binary crossentropy: the loss for yes/no predictions (one or more independent labels).

For a label `y` in [0, 1] and a predicted probability `p`::

    loss = -(y * log(p) + (1 - y) * log(1 - p))

averaged over the last axis. As in Keras, `p` is clipped to
`[epsilon, 1 - epsilon]` (epsilon = 1e-7) so that `log(0)` never happens;
a confident wrong answer therefore costs at most `-log(1e-7)`, about 16.1.
With `from_logits=True`, `y_pred` holds raw scores and the sigmoid is folded
into the loss in a numerically stable way (no clipping needed).
"""

from minilib import ops
from minilib.losses.loss import Loss
from minilib.losses.loss_function_wrapper import LossFunctionWrapper
from minilib.losses.shape_checks import to_matching_tensors


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Return the binary crossentropy of each sample (the mean runs over `axis`).

    Args:
        y_true: labels 0 or 1 (or soft labels in between), shape `(batch, d0, ..., dN)`.
        y_pred: probabilities, or logits if `from_logits=True`; the same shape.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; squeezes labels towards 0.5:
            `y_true * (1 - label_smoothing) + 0.5 * label_smoothing`.
        axis: the axis the mean runs over.

    Returns:
        A tensor of shape `(batch, d0, ..., dN-1)`.

    Example:
        >>> binary_crossentropy([[1.0, 0.0]], [[0.9, 0.2]])   # -(log 0.9 + log 0.8) / 2
        tensor([0.1643])
    """
    y_true, y_pred = to_matching_tensors("BinaryCrossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


class BinaryCrossentropy(LossFunctionWrapper):
    """Crossentropy between binary labels and predicted probabilities (or logits).

    Use it when each output unit answers its own yes/no question, e.g. a
    model ending in `Dense(1, activation="sigmoid")`.

    Args:
        from_logits: set it to True when the model's last layer has no sigmoid.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + 0.5 * s`.
        axis: the axis the mean runs over.
        reduction, name, dtype: as for `Loss`.

    Example:
        >>> BinaryCrossentropy()([[1.0], [0.0]], [[0.9], [0.2]])
        tensor(0.1643)
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}
