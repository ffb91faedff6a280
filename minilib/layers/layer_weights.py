"""A layer's weights: how `add_weight` makes them and how a layer lists, freezes and sets them.

A weight is a `Variable`, a `torch.nn.Parameter` that also carries Keras's
settings (its `path`, whether it is `trainable`, a `constraint`). `add_weight`
registers it with torch, so `parameters()` and `state_dict()` see it too. The
lists below hold the layer's own weights first, then those of each sublayer
(`self._layers`, see layer.py):

    >>> dense = minilib.layers.Dense(2)
    >>> dense.build((None, 3))
    >>> [w.path for w in dense.weights]
    ['dense/kernel', 'dense/bias']
    >>> dense.trainable = False                     # frozen: nothing left to train
    >>> len(dense.trainable_weights), len(dense.non_trainable_weights)
    (0, 2)
"""

import numpy as np

from minilib import constraints, initializers, regularizers
from minilib.backend import to_torch_dtype
from minilib.backend.variable import Variable


class LayerWeights:
    """The weight part of `Layer`, which mixes it in: `add_weight`, `weights`, `trainable`."""

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   name=None):
        """Create a weight (a `Variable`) that this layer owns and tracks.

        Args:
            shape: the weight's shape, e.g. `(input_dim, units)`.
            initializer: a name ("glorot_uniform", "zeros", ...) or an initializer.
                Defaults to "glorot_uniform" for floats and "zeros" otherwise.
            trainable: whether training updates it (False for running statistics).
            regularizer: a penalty on the weight, collected in `layer.losses`.
            constraint: a rule re-applied after every optimizer step, e.g. `"non_neg"`.
            name: a short name such as "kernel".
        """
        dtype = dtype or self._dtype
        if initializer is None:
            initializer = "glorot_uniform" if to_torch_dtype(dtype).is_floating_point else "zeros"
        shape = () if shape is None else tuple(shape)
        variable = Variable(initializers.get(initializer), shape=shape, dtype=dtype,
                            trainable=trainable, name=name or "variable")
        if not self.trainable:
            variable.requires_grad_(False)
        key = variable.name
        suffix = 0
        while key in self._parameters or self.__dict__.get(key, None) is not None:
            suffix += 1
            key = f"{variable.name}_{suffix}"
        self.__dict__.pop(key, None)  # a `self.bias = None` placeholder gives way
        variable.path = f"{self.name}/{key}"
        self.register_parameter(key, variable)
        if regularizer is not None:
            self._weight_regularizers.append((variable, regularizers.get(regularizer)))
        variable.constraint = constraints.get(constraint)
        return variable

    @property
    def weights(self):
        """All weights: this layer's own first, then each sublayer's, without repeats."""
        own = [p for p in self._parameters.values() if isinstance(p, Variable)]
        return _unique(own + [w for layer in self._layers for w in layer.weights])

    variables = weights

    @property
    def trainable_weights(self):
        """The weights that training updates (none when the layer is frozen)."""
        if not self.trainable:
            return []
        own = [p for p in self._parameters.values() if isinstance(p, Variable) and p.trainable]
        return _unique(own + [w for layer in self._layers for w in layer.trainable_weights])

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        """Weights that training leaves alone (all of them when `trainable=False`)."""
        if not self.trainable:
            return self.weights
        own = [p for p in self._parameters.values()
               if isinstance(p, Variable) and not p.trainable]
        return _unique(own + [w for layer in self._layers for w in layer.non_trainable_weights])

    non_trainable_variables = non_trainable_weights

    @property
    def trainable(self):
        """Set to False to freeze the layer and everything inside it."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = value
        for variable in self._parameters.values():
            if isinstance(variable, Variable):
                variable.requires_grad_(bool(value) and variable.trainable
                                        and variable.is_floating_point())

    def get_weights(self):
        """The weights as a list of NumPy arrays, in the order of `weights`."""
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights):
        """Load NumPy arrays into the weights. Count and shapes must match."""
        own = self.weights
        if len(weights) != len(own):
            expected = ", ".join(f"{w.path} {tuple(w.shape)}" for w in own) or "none"
            raise ValueError(f"Layer '{self.name}' has {len(own)} weights ({expected}), "
                             f"but set_weights() received {len(weights)} arrays.")
        for variable, value in zip(own, weights, strict=True):
            shape = tuple(np.shape(value))
            if shape != tuple(variable.shape):
                raise ValueError(f"Layer '{self.name}': weight '{variable.path}' has shape "
                                 f"{tuple(variable.shape)}, but the array given has shape {shape}.")
            variable.assign(np.asarray(value))

    def count_params(self):
        """The number of scalars in all weights."""
        if not self.built:
            raise ValueError(f"Layer '{self.name}' is not built yet, so it has no weights to "
                             f"count. Call it on data, or call build(input_shape), first.")
        return sum(int(np.prod(w.shape)) for w in self.weights)

    @property
    def dtype(self):
        """The dtype of the layer's weights and computation, as a string."""
        return self._dtype

    compute_dtype = variable_dtype = dtype


def _unique(variables):
    """Drop repeats (a layer shared twice), keeping the first occurrence."""
    return list({id(v): v for v in variables}.values())
