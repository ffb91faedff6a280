"""RootMeanSquaredError: the square root of the mean squared error over all samples seen.

    result = sqrt(sum(w * (y_true - y_pred) ** 2) / sum(w))

It is in the units of the target, which makes it easier to read than MSE.
The square root is taken once, in `result()`: averaging per-batch roots
would give a different (wrong) number.
"""

import torch

from minilib import ops
from minilib.losses.reduction import squeeze_or_expand_to_same_rank
from minilib.metrics.mean import Mean


class RootMeanSquaredError(Mean):
    """The root of the mean squared error over all samples seen.

    Args:
        name: the name shown in logs.
        dtype: the dtype of the state and the result.

    Example:
        >>> m = RootMeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    # Metrics are reported, never differentiated: no_grad skips recording autograd history.
    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add the squared errors of one batch to the running mean."""
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        """`sqrt(total / count)`."""
        return ops.sqrt(super().result())
