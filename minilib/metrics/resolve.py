"""Turning `compile(metrics=[...])` entries into metric objects, given the first batch.

The trainer calls `resolve_metric` once per entry, at the first batch,
when the shapes of the labels and predictions are known. It follows
Keras 3's `compile` exactly:

- `"accuracy"` and `"acc"` (any case) pick the accuracy that fits the shapes,
  with the same rule as `minilib.losses.label_kind`:

  * `y_pred` ends in 1, e.g. `(32, 1)`: `BinaryAccuracy`;
  * `y_true` has fewer axes than `y_pred`, or ends in 1 while `y_pred` does
    not, e.g. `(32,)` or `(32, 1)` against `(32, 10)`: `SparseCategoricalAccuracy`;
  * anything else, e.g. one-hot `(32, 10)` against `(32, 10)`: `CategoricalAccuracy`.

- anything else goes through `minilib.metrics.get`; a plain function is
  wrapped in a `MeanMetricWrapper` so it is averaged over the epoch.

A string keeps its spelling as the metric's name, so `metrics=["acc"]`
logs `acc` and `metrics=["mae"]` logs `mae`. (Keras resolves
`"crossentropy"` from the shapes only for *losses*: see
`minilib.losses.resolve_loss`.)
"""

from minilib.backend.naming import to_snake_case
from minilib.losses.resolve import label_kind
from minilib.metrics.binary_accuracy import BinaryAccuracy
from minilib.metrics.categorical_accuracy import CategoricalAccuracy
from minilib.metrics.mean_metric_wrapper import MeanMetricWrapper
from minilib.metrics.metric import Metric
from minilib.metrics.registry import get
from minilib.metrics.sparse_categorical_accuracy import SparseCategoricalAccuracy

_ACCURACY_BY_KIND = {
    "binary": BinaryAccuracy,
    "sparse": SparseCategoricalAccuracy,
    "categorical": CategoricalAccuracy,
}


def resolve_metric(identifier, y_true, y_pred):
    """Return a `Metric` object for one `compile(metrics=[...])` entry.

    Args:
        identifier: the entry: a name, a `Metric` class or instance, or a function.
        y_true: the labels of the first batch (only the shape is used).
        y_pred: the model's output for it (only the shape is used).

    Example:
        >>> import numpy as np
        >>> resolve_metric("accuracy", np.zeros((32,)), np.zeros((32, 10)))
        <SparseCategoricalAccuracy name=accuracy>
    """
    if identifier is None:
        raise ValueError("resolve_metric: expected a metric, got None.")
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        metric = _ACCURACY_BY_KIND[label_kind(y_true, y_pred)]()
    else:
        metric = get(identifier)
    if isinstance(identifier, str):
        name = identifier
    elif hasattr(metric, "name"):
        name = metric.name
    else:
        name = to_snake_case(getattr(metric, "__name__", type(metric).__name__))
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric)
    metric.name = name
    return metric
