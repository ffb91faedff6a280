"""Crossentropy metrics: the crossentropy losses, averaged over every batch since the reset."""

from minilib.losses.binary_crossentropy import binary_crossentropy
from minilib.losses.categorical_crossentropy import categorical_crossentropy
from minilib.losses.sparse_categorical_crossentropy import sparse_categorical_crossentropy
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary crossentropy over all samples seen.

    Useful to watch a crossentropy that is not the training loss, e.g. the
    unsmoothed crossentropy of a model trained with label smoothing. The
    crossentropy metrics reuse the loss functions of `minilib.losses`, so they
    give the same numbers.

    Args:
        name, dtype: as for every metric.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + 0.5 * s`.

    Example: `-(log 0.9 + log 0.8) / 2`.

    >>> metric = minilib.metrics.BinaryCrossentropy()
    >>> metric.update_state([[1.0], [0.0]], [[0.9], [0.2]])
    >>> metric.result()
    tensor(0.1643)
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical crossentropy (one-hot labels) over all samples seen.

    Args:
        name, dtype: as for every metric.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + s / num_classes`.
        axis: the class axis.

    Example: the true classes got 0.8 and 0.5, so `-(log 0.8 + log 0.5) / 2`.

    >>> metric = minilib.metrics.CategoricalCrossentropy()
    >>> metric.update_state([[0, 1, 0], [0, 0, 1]], [[0.1, 0.8, 0.1], [0.2, 0.3, 0.5]])
    >>> metric.result()
    tensor(0.4581)
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean sparse categorical crossentropy (integer labels) over all samples seen.

    Args:
        name, dtype: as for every metric.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        axis: the class axis.

    Example: the same numbers as `CategoricalCrossentropy`, with labels given as indices.

    >>> metric = minilib.metrics.SparseCategoricalCrossentropy()
    >>> metric.update_state([1, 2], [[0.1, 0.8, 0.1], [0.2, 0.3, 0.5]])
    >>> metric.result()
    tensor(0.4581)
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 axis=-1):
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, axis=axis)
        self.from_logits = from_logits
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "axis": self.axis}
