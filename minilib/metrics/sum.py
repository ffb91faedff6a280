"""Sum: the running (weighted) sum of everything passed to `update_state`."""

import torch

from minilib import ops
from minilib.metrics.metric import Metric
from minilib.metrics.samplewise import reduce_to_samplewise_values


class Sum(Metric):
    """The weighted sum of all the values seen, kept in one variable, `total`.

        result = sum(weight * value)

    over all batches since the last reset.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:

    >>> s = minilib.metrics.Sum()
    >>> s.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1.0, 1.0, 0.0, 0.0])
    >>> s.result()
    tensor(4.)
    >>> s.update_state(10.0)
    >>> s.result()
    tensor(14.)
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")

    # Metrics are reported, never differentiated: no_grad skips recording autograd history.
    @torch.no_grad()
    def update_state(self, values, sample_weight=None):
        """Add a batch of values, each multiplied by its sample weight (default 1)."""
        values, _ = reduce_to_samplewise_values(values, sample_weight, ops.sum, self.dtype)
        self.total.add_(ops.sum(values))

    def result(self):
        """The total so far."""
        return self.total.detach().clone()
