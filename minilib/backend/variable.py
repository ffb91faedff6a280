"""Variable: a trainable (or frozen) tensor with a name, as in Keras."""

import numpy as np
import torch

from minilib.backend import config
from minilib.backend.dtypes import dtype_name, to_torch_dtype


def _initial_value(initializer, shape, dtype):
    if callable(initializer):
        if shape is None:
            raise ValueError("A Variable made from an initializer needs a `shape`.")
        value = initializer(tuple(shape), dtype=dtype)
    else:
        value = initializer
    value = torch.as_tensor(np.asarray(value) if not torch.is_tensor(value) else value)
    # Always a fresh copy: a variable must never share memory with the caller's array.
    value = value.to(device=config.device(), dtype=to_torch_dtype(dtype), copy=True)
    if shape is not None and tuple(value.shape) != tuple(shape):
        raise ValueError(f"Variable: initial value has shape {tuple(value.shape)}, "
                         f"expected {tuple(shape)}.")
    return value


class Variable(torch.nn.Parameter):
    """A named tensor that a layer owns and an optimizer updates.

    A `Variable` *is* a `torch.nn.Parameter`, so it works directly in any torch
    operation and shows up in `module.parameters()` and `state_dict()`. On top of
    that it carries Keras's conveniences: `assign`, `assign_add`, `assign_sub`,
    `numpy()`, a `name` and a `path` (the name with its owner's, `"dense/kernel"`).

    A frozen variable (`trainable=False`) simply has `requires_grad=False`, so
    autograd skips it and optimizers leave it alone.

    Args:
        initializer: an initial value (array, list, tensor) or a callable
            `initializer(shape, dtype)` such as `minilib.initializers.GlorotUniform()`.
        shape: the shape, needed when `initializer` is a callable.
        dtype: the dtype name; defaults to `config.floatx()` ("float32").
        trainable: whether gradients flow to it and optimizers update it.
        name: a short name such as `"kernel"`.

    Example:

    >>> v = minilib.Variable([[1.0, 2.0]], name="w")
    >>> v.assign_add([[1.0, 1.0]])    # in place; returns the variable itself
    <Variable path=w, shape=(1, 2), dtype=float32, value=[[2. 3.]]>
    >>> v.numpy()
    array([[2., 3.]], dtype=float32)
    >>> isinstance(v, torch.nn.Parameter), v.requires_grad
    (True, True)
    >>> frozen = minilib.Variable(minilib.initializers.Zeros(), shape=(2,), trainable=False)
    >>> frozen.requires_grad
    False
    """

    def __new__(cls, initializer, shape=None, dtype=None, trainable=True, name=None):
        value = _initial_value(initializer, shape, dtype).detach()
        floating = value.is_floating_point() or value.is_complex()
        self = torch.Tensor._make_subclass(cls, value, bool(trainable and floating))
        self._trainable = bool(trainable)
        self._name = name or "variable"
        self.path = self._name
        self.constraint = None  # set by Layer.add_weight; the optimizer applies it
        return self

    def __init__(self, *args, **kwargs):
        pass  # everything happens in __new__, as for torch.nn.Parameter

    @property
    def name(self):
        """The short name given at creation, such as `"kernel"`; `path` adds the owner."""
        return self._name

    @property
    def trainable(self):
        """Whether optimizers update this variable. Setting it turns gradients on or off."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        self.requires_grad_(self._trainable and self.is_floating_point())

    @property
    def value(self):
        """The variable as a tensor (the variable itself: it already is one)."""
        return self

    def numpy(self):
        """A NumPy copy of the current value (later updates do not change it)."""
        return self.detach().cpu().numpy().copy()

    def assign(self, value):
        """Overwrite the value in place. The shape must stay the same."""
        value = torch.as_tensor(value if torch.is_tensor(value) else np.asarray(value))
        if tuple(value.shape) != tuple(self.shape):
            raise ValueError(f"Variable '{self.path}': cannot assign a value of shape "
                             f"{tuple(value.shape)} to a variable of shape {tuple(self.shape)}.")
        with torch.no_grad():
            self.copy_(value)
        return self

    def assign_add(self, value):
        """Add `value` in place (`v += value`)."""
        return self.assign(self.detach() + torch.as_tensor(value, device=self.device))

    def assign_sub(self, value):
        """Subtract `value` in place (`v -= value`)."""
        return self.assign(self.detach() - torch.as_tensor(value, device=self.device))

    # NumPy must not turn `variable * array` into a detached NumPy computation: with
    # __array_ufunc__ = None it hands the operation back to the operators below, which
    # turn the array into a tensor, so gradients still flow (as for Keras variables).
    __array_ufunc__ = None

    def __array__(self, dtype=None, copy=None):
        """`np.asarray(variable)` works, even while the variable tracks gradients."""
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __float__(self):
        return float(self.detach())

    def __int__(self):
        return int(self.detach())

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={tuple(self.shape)}, "
                f"dtype={dtype_name(self.dtype)}, value={self.numpy()}>")

    # torch.nn.Parameter rebuilds a plain Parameter when copied or pickled;
    # these two keep the Variable class and its Keras attributes.
    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        copy = _rebuild_variable(self.detach().clone(), self._attributes())
        memo[id(self)] = copy
        return copy

    def __reduce_ex__(self, protocol):
        return (_rebuild_variable, (self.detach(), self._attributes()))

    def _attributes(self):
        return {"trainable": self._trainable, "name": self.name, "path": self.path,
                "constraint": self.constraint}


def _with_tensor_operand(operator):
    """Wrap a torch operator so that a NumPy array operand becomes a tensor first."""

    def apply(self, other):
        if isinstance(other, np.ndarray):
            other = torch.as_tensor(other, device=self.device)
            if other.is_floating_point():
                other = other.to(self.dtype)
        return operator(self, other)

    apply.__name__ = operator.__name__
    return apply


for _name in ("add", "radd", "sub", "rsub", "mul", "rmul", "truediv", "rtruediv", "matmul",
              "rmatmul", "pow", "rpow"):
    setattr(Variable, f"__{_name}__", _with_tensor_operand(getattr(torch.Tensor, f"__{_name}__")))


def _rebuild_variable(data, attributes):
    variable = torch.Tensor._make_subclass(
        Variable, data, bool(attributes["trainable"] and data.is_floating_point())
    )
    variable._trainable = attributes["trainable"]
    variable._name = attributes["name"]
    variable.path = attributes["path"]
    variable.constraint = attributes.get("constraint")
    return variable
