"""KerasTensor: a placeholder that has a shape and a dtype but no values."""

import collections

from minilib.backend.naming import unique_name

# Which layer call made a tensor: the layer, which of its calls, which output.
KerasHistory = collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


class KerasTensor:
    """A symbolic tensor in minilib's graph: a shape and a dtype, but no values.

    `minilib.Input(shape=(784,))` returns one. Calling a layer on it does no
    arithmetic: the layer works out the output's shape and records a `Node`, so
    a chain of calls draws the model's graph. `None` in a shape means "any size",
    usually the batch dimension. Arithmetic on it (`x + y`) raises an error that
    names the layer to use instead.

    A symbolic tensor may carry a symbolic mask, `_keras_mask`, as a real tensor
    does: after `Embedding(mask_zero=True)` it is a boolean `(batch, time)`
    KerasTensor, which the layers downstream receive as their `mask`.

    Args:
        shape: the shape, `None` for a size not known yet.
        dtype: the dtype's name.
        name: the tensor's name; a new unique one by default.

    Example:

    >>> x = minilib.Input(shape=(784,))
    >>> y = minilib.layers.Dense(10)(x)
    >>> y
    <KerasTensor shape=(None, 10), dtype=float32, name=keras_tensor>
    >>> y.node.operation.name              # the layer call that made it
    'dense'
    """

    def __init__(self, shape, dtype="float32", name=None):
        self.shape = tuple(None if dim is None else int(dim) for dim in shape)
        self.dtype = dtype
        self.name = name or unique_name("keras_tensor")
        self._keras_history = None
        self._keras_mask = None

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def node(self):
        """The `Node` (layer call) that produced this tensor."""
        operation, node_index, _ = self._keras_history
        return operation._inbound_nodes[node_index]

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __bool__(self):
        raise TypeError("A KerasTensor has no value, so it cannot be used as a bool "
                        "(in `if` or `while`). Symbolic tensors only describe shapes.")

    def _no_arithmetic(self, *args, **kwargs):
        raise TypeError(
            "minilib does not do arithmetic on symbolic tensors (from `Input`). "
            "Use a layer instead, for example `layers.Add()([a, b])`, "
            "`layers.Multiply()([a, b])` or `layers.Lambda(lambda t: ...)`."
        )

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _no_arithmetic
    __truediv__ = __rtruediv__ = __matmul__ = __rmatmul__ = __pow__ = __neg__ = _no_arithmetic
    __getitem__ = _no_arithmetic


def is_symbolic(value):
    """True when `value` is a KerasTensor, or a list/tuple/dict holding one."""
    if isinstance(value, KerasTensor):
        return True
    if isinstance(value, list | tuple):
        return any(is_symbolic(item) for item in value)
    if isinstance(value, dict):
        return any(is_symbolic(item) for item in value.values())
    return False
