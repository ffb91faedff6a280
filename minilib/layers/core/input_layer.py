"""InputLayer and Input: where a functional model's graph starts.

`Input(shape=(784,))` makes an InputLayer and returns its symbolic output: a
KerasTensor of shape `(None, 784)`, where `None` stands for the batch size::

    >>> inputs = minilib.Input(shape=(784,), name="pixels")
    >>> inputs.shape
    (None, 784)
"""

from minilib.graph.keras_tensor import KerasTensor
from minilib.graph.node import Node
from minilib.layers.layer import Layer


class InputLayer(Layer):
    """The first layer of a functional model; it holds no weights and computes nothing.

    Args:
        shape: the shape of one sample, without the batch dimension.
        batch_size: a fixed batch size, or None for any.
        dtype: the dtype of the data fed in (default "float32").
        batch_shape: the full shape with the batch dimension, instead of `shape`.
        name: the layer's name; the input tensor gets the same name.
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse:
            raise ValueError("minilib has no sparse tensors: use a dense input.")
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(f"InputLayer '{self.name}': input_tensor must come from "
                                 f"minilib.Input, got {type(input_tensor).__name__}.")
            batch_shape = input_tensor.shape
        elif batch_shape is None:
            if shape is None:
                raise ValueError(f"InputLayer '{self.name}' needs a `shape`, e.g. shape=(784,).")
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            batch_shape = (batch_size, *shape)
        self.batch_shape = tuple(batch_shape)
        self.optional = optional
        self.built = True
        tensor = input_tensor
        if tensor is None:
            tensor = KerasTensor(self.batch_shape, dtype=self._dtype, name=self.name)
        Node(self, outputs=tensor)

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {"batch_shape": self.batch_shape, "dtype": self._dtype,
                "sparse": False, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False):
    """Start a functional model: a symbolic tensor with `shape` (batch dimension left out)."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, input_tensor=tensor, optional=optional, name=name)
    return layer.output
