"""MeanMetricWrapper: turn a function `fn(y_true, y_pred)` into a running-average metric."""

import torch

from minilib.metrics.mean import Mean
from minilib.serialization.object_configs import with_function_found


class MeanMetricWrapper(Mean):
    """The weighted mean of `fn(y_true, y_pred, **kwargs)` over all samples seen.

    The function returns one value per sample (an error, a 0/1 "correct"
    flag...); the wrapper averages those values over every batch since the
    last reset. `Accuracy`, `MeanSquaredError` and most other metrics are such
    wrappers.

    Args:
        fn: a function returning one value per sample (or per element).
        name: the name shown in logs.
        dtype: the dtype of the state and the result.
        **kwargs: extra keyword arguments passed to `fn` on every call.

    Example:

    >>> def absolute_error(y_true, y_pred):
    ...     return ops.abs(ops.convert_to_tensor(y_true) - y_pred)
    >>> m = minilib.metrics.MeanMetricWrapper(absolute_error, name="absolute_error")
    >>> m.update_state([1.0, 2.0], ops.convert_to_tensor([1.5, 2.5]))
    >>> m.result()
    tensor(0.5000)
    >>> m.update_state([0.0], ops.convert_to_tensor([2.0]))     # (0.5 + 0.5 + 2) / 3
    >>> m.result()
    tensor(1.)
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self.fn = fn
        self.fn_kwargs = kwargs

    # Metrics are reported, never differentiated: no_grad skips recording autograd history.
    @torch.no_grad()
    def update_state(self, y_true, y_pred, sample_weight=None):
        """Compute `fn` on one batch and add its values to the running mean."""
        values = self.fn(y_true, y_pred, **self.fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        # The built-in subclasses override this; a bare wrapper records its function by name.
        return {**super().get_config(), "fn": self.fn.__name__, **self.fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**with_function_found(config))
