"""Mean: the running (weighted) average of everything passed to `update_state`."""

import torch

from minilib import ops
from minilib.metrics.metric import Metric, divide_no_nan
from minilib.metrics.samplewise import reduce_to_samplewise_values


class Mean(Metric):
    """The weighted mean of all the values seen, kept as a `total` and a `count`.

        result = sum(weight * value) / sum(weight)

    over all batches since the last reset. The training loop reports the loss
    with it. Without weights every value has weight 1.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:

    >>> m = minilib.metrics.Mean()
    >>> m.update_state([1.0, 3.0, 5.0, 7.0])
    >>> m.result()
    tensor(4.)
    >>> m.update_state([9.0, 9.0], sample_weight=[1.0, 0.0])   # the second 9 is ignored
    >>> m.result()
    tensor(5.)
    >>> m.reset_state()
    >>> m.result()
    tensor(0.)
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")
        self.count = self.add_variable((), "zeros", name="count")

    # Metrics are reported, never differentiated: no_grad skips recording autograd history.
    @torch.no_grad()
    def update_state(self, values, sample_weight=None):
        """Add a batch of values; values of shape `(batch, ...)` are averaged per sample first.

        Args:
            values: a number, or a tensor or array of values.
            sample_weight: `None` or one weight per sample (see `samplewise`).
        """
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, ops.mean,
                                                            self.dtype)
        self.total.add_(ops.sum(values))
        if sample_weight is not None:
            self.count.add_(ops.sum(sample_weight))
        else:
            # A Python int: adding it costs no trip between the CPU and the GPU.
            self.count.add_(values.shape[0] if values.ndim else 1)

    def result(self):
        """`total / count`, or 0 before any data."""
        return divide_no_nan(self.total, self.count)
