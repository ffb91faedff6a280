"""Neural-network ops: activation functions, one-hot encoding, crossentropies, moments.

    >>> from minilib import ops
    >>> ops.softmax(ops.convert_to_tensor([0.0, 0.0]))
    tensor([0.5000, 0.5000])
    >>> ops.sparse_categorical_crossentropy([1], [[0.25, 0.75]])   # -log(0.75)
    tensor([0.2877])

`minilib.ops.nn` (Keras's `keras.ops.nn`) gathers the ops of this folder, one
kind per file:

- `activations`: relu, sigmoid, gelu, softmax, ...
- `label_encoding`: one_hot, multi_hot.
- `crossentropy`: binary, categorical and sparse categorical crossentropy.
- `fused_linear`: linear, a Dense layer's computation in one torch call.
- `statistics`: moments, the mean and variance over some axes.
"""

from minilib.ops.nn import activations, crossentropy, fused_linear, label_encoding, statistics
from minilib.ops.nn.activations import *  # noqa: F403
from minilib.ops.nn.crossentropy import *  # noqa: F403
from minilib.ops.nn.fused_linear import *  # noqa: F403
from minilib.ops.nn.label_encoding import *  # noqa: F403
from minilib.ops.nn.statistics import *  # noqa: F403

__all__ = [
    *activations.__all__, *label_encoding.__all__, *crossentropy.__all__,
    *statistics.__all__, *fused_linear.__all__,
]
