"""Metric: the base class of everything reported in training logs, as in Keras."""

from minilib import ops
from minilib.backend.dtypes import dtype_name
from minilib.backend.naming import to_snake_case, unique_name
from minilib.backend.variable import Variable

_NAMED_INITIALIZERS = {"zeros": ops.zeros, "ones": ops.ones}


def divide_no_nan(numerator, denominator):
    """`numerator / denominator`, but 0 wherever the denominator is 0.

    A metric that has seen no data (or no positives...) reports 0, not NaN.
    """
    return ops.where(denominator != 0, numerator / denominator, ops.zeros_like(numerator))


class Metric:
    """Base class for metrics.

    A metric keeps running totals in *state variables* and updates them batch
    by batch, so the number it reports covers every sample seen since the last
    reset, not just the last batch.

    `update_state` runs on every batch, so it only does a few tensor operations
    on the metric's device; it never reads a value back to Python (that would
    make the CPU wait for the GPU). `result()` is only called when logs are shown.

    To write your own metric, create its variables with `add_variable` in
    `__init__`, and implement `update_state` and `result`.

    Args:
        dtype: the dtype of the state and the result; defaults to `config.floatx()`.
        name: a name for logs; defaults to the class name in snake_case.

    Example, a running mean over two batches:

    >>> m = minilib.metrics.Mean()
    >>> m.update_state([1.0, 3.0])       # batch 1
    >>> m.update_state([5.0, 7.0])       # batch 2
    >>> m.result()
    tensor(4.)
    >>> m.reset_state()                  # e.g. at the start of each epoch

    Example, a metric of your own: how many predictions were above 0.5.

    >>> class CountPositives(minilib.metrics.Metric):
    ...     def __init__(self, name="count_positives"):
    ...         super().__init__(name=name)
    ...         self.count = self.add_variable((), "zeros", name="count")
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.count.add_(ops.sum(ops.convert_to_tensor(y_pred) > 0.5))
    ...     def result(self):
    ...         return self.count.detach().clone()
    >>> positives = CountPositives()
    >>> positives.update_state([1, 0, 1], [0.9, 0.7, 0.2])
    >>> positives.update_state([1], [0.8])
    >>> positives.result(), positives.variables
    (tensor(3.), [<Variable path=count_positives/count, shape=(), dtype=float32, value=3.0>])
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.dtype = dtype_name(dtype)
        self._variables = []

    def add_variable(self, shape, initializer, dtype=None, name=None):
        """Create a non-trainable state variable on `config.device()` and track it.

        Args:
            shape: the variable's shape, e.g. `()` for a single running total.
            initializer: `"zeros"`, `"ones"`, a callable `initializer(shape, dtype)`
                or an initial value.
            dtype: defaults to the metric's dtype.
            name: a short name such as `"total"`.
        """
        dtype = dtype or self.dtype
        if isinstance(initializer, str):
            if initializer not in _NAMED_INITIALIZERS:
                raise ValueError(f"add_variable: unknown initializer {initializer!r}; use "
                                 f"one of {sorted(_NAMED_INITIALIZERS)} or a callable.")
            initializer = _NAMED_INITIALIZERS[initializer](shape, dtype)
        variable = Variable(initializer, shape=shape, dtype=dtype, trainable=False, name=name)
        variable.path = f"{self.name}/{variable.name}"
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Keras's older name for `add_variable`, kept because many metrics still use it.

        In a metric's `__init__`, `self.true_positives = self.add_weight(name="tp",
        initializer="zeros")` makes a state variable that starts at 0:

            >>> minilib.metrics.Mean().add_weight(name="tp", initializer="zeros")
            <Variable path=mean/tp, shape=(), dtype=float32, value=0.0>
        """
        return self.add_variable(shape, initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        """The state variables, in the order they were created."""
        return list(self._variables)

    def update_state(self, *args, **kwargs):
        """Add one batch to the running state. Subclasses implement this."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        """Return the metric's current value as a tensor. Subclasses implement this."""
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def reset_state(self):
        """Set every state variable back to zero (done at the start of each epoch)."""
        for variable in self._variables:
            variable.assign(ops.zeros_like(variable))

    def __call__(self, *args, **kwargs):
        """Update the state with one batch, then return the result so far."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        """The constructor arguments, as a dict that `from_config` turns back into the metric."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        """Build a metric from the dict returned by `get_config`."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
