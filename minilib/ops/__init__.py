"""minilib.ops: the tensor operations every layer, loss and metric computes with.

The names and arguments are those of `keras.ops`, so Keras code runs
unchanged, and underneath each op is one or two torch calls. Inputs may be
torch tensors, Variables, NumPy arrays or Python numbers::

    >>> import numpy as np
    >>> from minilib import ops
    >>> ops.matmul(np.ones((2, 3)), ops.ones((3, 4))).shape
    torch.Size([2, 4])

The ops live in five modules. Three are files: `core` (conversion and
casting), `math` (logsumexp, top_k, erf) and `conv` (convolution and
pooling). Two are folders of one kind of op per file, listed in their
`__init__.py`: `numpy` (NumPy-style arithmetic, reductions, shapes, ...)
and `nn` (activations, one-hot, crossentropies, ...).
"""

from minilib.ops import core, math, nn, numpy
from minilib.ops.conv import *  # noqa: F403
from minilib.ops.conv import __all__ as _conv_names
from minilib.ops.core import *  # noqa: F403
from minilib.ops.math import *  # noqa: F403
from minilib.ops.nn import *  # noqa: F403
from minilib.ops.numpy import *  # noqa: F403

# `conv` is both a module and an op; after the star import the name means the op.
__all__ = [*core.__all__, *numpy.__all__, *math.__all__, *nn.__all__, *_conv_names]
