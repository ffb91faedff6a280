"""Loss: the base class of every minilib loss, as in Keras."""

from minilib import ops
from minilib.backend.dtypes import dtype_name
from minilib.backend.naming import to_snake_case, unique_name
from minilib.losses.reduction import reduce_weighted_values, standardize_reduction


class Loss:
    """Base class for losses.

    A loss object is called like a function, `loss(y_true, y_pred, sample_weight=None)`,
    and returns one number (or, with `reduction=None`, one value per sample).
    Calling it does three things:

    1. converts `y_true` and `y_pred` to tensors of the loss's `dtype` (float32),
       so integer labels work without a manual cast;
    2. runs `call(y_true, y_pred)`, which returns the per-sample losses;
    3. weights and reduces them (see `minilib.losses.reduction`).

    To write your own loss, subclass `Loss` and implement `call`.

    Args:
        name: a name for logs; defaults to the class name in snake_case.
        reduction: how to combine the per-sample losses: `"sum_over_batch_size"`
            (the default: the average over all loss values), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, or `None`/`"none"` for no reduction.
        dtype: the dtype of the computation; defaults to `config.floatx()`.

    Example, a loss of your own:

    >>> class MeanFourthPowerError(minilib.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ops.mean(ops.square(ops.square(y_true - y_pred)), axis=-1)
    >>> MeanFourthPowerError()([[0.0, 0.0]], [[1.0, 2.0]])    # (1 + 16) / 2
    tensor(8.5000)
    >>> MeanFourthPowerError(reduction=None)([[0, 0], [0, 0]], [[1.0, 2.0], [1.0, 1.0]])
    tensor([8.5000, 1.0000])
    """

    # True for losses whose labels are class indices: those skip the cast to float.
    takes_class_indices = False

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self.dtype = dtype_name(dtype)

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Return the loss of a batch, weighted by `sample_weight` and reduced."""
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true = ops.convert_to_tensor(y_true)
        if not (self.takes_class_indices and not y_true.is_floating_point()):
            y_true = ops.cast(y_true, self.dtype)  # integer class indices need no float copy
        losses = self.call(y_true, y_pred)
        return reduce_weighted_values(losses, sample_weight, mask=self.mask(y_true, losses),
                                      reduction=self.reduction)

    def call(self, y_true, y_pred):
        """Return the unreduced losses, usually one per sample. Subclasses implement this."""
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred).")

    def mask(self, y_true, losses):
        """Return a boolean tensor shaped like `losses` marking the entries that count.

        `None` (the default) means that all of them count. The averaging
        reductions then divide by the number of entries kept.
        """
        return None

    def get_config(self):
        """The constructor arguments, as a dict that `from_config` turns back into the loss."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        """Build a loss from the dict returned by `get_config`."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
