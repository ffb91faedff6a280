"""InputLayer and Input: where a functional model's graph starts."""

from minilib.graph.keras_tensor import KerasTensor
from minilib.graph.node import Node
from minilib.layers.layer import Layer


class InputLayer(Layer):
    """The first layer of a functional model; it holds no weights and computes nothing.

    You rarely make one yourself: `minilib.Input(shape)` makes an InputLayer and
    returns its output, the symbolic tensor that layers are then called on.

    Args:
        shape: the shape of one sample, without the batch dimension.
        batch_size: a fixed batch size, or None for any.
        dtype: the dtype of the data fed in (default "float32").
        sparse: only None or False: minilib has no sparse tensors.
        batch_shape: the full shape with the batch dimension, instead of `shape`.
        input_tensor: a KerasTensor from `minilib.Input` to start from, instead of a new one.
        optional: Keras's flag for an input that may be None; minilib only stores it.
        name: the layer's name; the input tensor gets the same name.

    Example:

    >>> layer = minilib.layers.InputLayer(shape=(784,))
    >>> layer.batch_shape, layer.output.shape
    ((None, 784), (None, 784))
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
    """Start a functional model: a symbolic tensor with `shape` (batch dimension left out).

    `Input(shape=(784,))` makes an InputLayer and returns its symbolic output: a
    KerasTensor of shape `(None, 784)`, where `None` stands for the batch size. It
    holds a shape and a dtype but no values; calling layers on it records the graph
    that `Model(inputs, outputs)` then runs on real data.

    Args:
        shape: the shape of one sample, without the batch dimension.
        batch_size: a fixed batch size, or None for any.
        dtype: the dtype of the data fed in (default "float32").
        sparse: only None or False: minilib has no sparse tensors.
        batch_shape: the full shape with the batch dimension, instead of `shape`.
        name: the name of the input layer and of its tensor.
        tensor: an existing KerasTensor to use as the input.
        optional: Keras's flag for an input that may be None; minilib only stores it.

    Example:

    >>> inputs = minilib.Input(shape=(784,), name="pixels")
    >>> inputs.shape
    (None, 784)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, input_tensor=tensor, optional=optional, name=name)
    return layer.output
