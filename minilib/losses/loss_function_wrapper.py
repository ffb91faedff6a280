"""LossFunctionWrapper: turn a plain loss function into a `Loss` object."""

from minilib.losses.loss import Loss
from minilib.losses.reduction import squeeze_or_expand_to_same_rank
from minilib.serialization.object_configs import with_function_found


class LossFunctionWrapper(Loss):
    """A `Loss` that computes its per-sample losses with `fn(y_true, y_pred, **kwargs)`.

    A loss *function* `fn(y_true, y_pred)` returns per-sample losses; wrapping it
    adds everything a `Loss` object has: sample weights, reductions, a name and a
    config. Every built-in loss class (`MeanSquaredError`, ...) is such a wrapper
    around its function (`mean_squared_error`, ...).

    Before calling `fn`, the ranks of `y_true` and `y_pred` are lined up, so
    labels of shape `(batch,)` meet predictions of shape `(batch, 1)` as `(batch, 1)`.

    Args:
        fn: the loss function.
        reduction, name, dtype: as for `Loss`.
        **kwargs: extra keyword arguments passed to `fn` on every call.

    Example:

    >>> def squared_error_sum(y_true, y_pred):
    ...     return ops.sum(ops.square(y_true - y_pred), axis=-1)
    >>> loss = minilib.losses.LossFunctionWrapper(squared_error_sum, reduction="sum")
    >>> loss([[0.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 1.0]])
    tensor(2.)
    >>> loss([[0.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [3.0, 1.0]], sample_weight=[1.0, 0.5])
    tensor(4.)
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self.fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self.fn_kwargs)

    def get_config(self):
        # The built-in subclasses override this; a bare wrapper records its function by name.
        return {**super().get_config(), "fn": self.fn.__name__, **self.fn_kwargs}

    @classmethod
    def from_config(cls, config):
        return cls(**with_function_found(config))
