"""How masks travel from layer to layer: which time steps of a padded batch are real.

Sentences of different lengths are padded to one length, e.g. with zeros. A
mask is a boolean tensor of shape `(batch, time)`: True where there is data.
`Embedding(mask_zero=True)` makes one, and so does the `Masking` layer (in
core/masking.py). It then travels *with the tensor*, as its attribute
`_keras_mask`, through every layer that `supports_masking`, until a layer that
needs it (an LSTM skips the padded steps) receives it as its `mask=` argument::

    x = minilib.layers.Embedding(1000, 16, mask_zero=True)(tokens)
    x._keras_mask          # tensor([[True, True, False, ...], ...])

The rules, the same as Keras's, applied by `Layer.__call__` (and by the graph
for symbolic tensors, where `_keras_mask` is a symbolic tensor too):

1. A layer whose `call` has a `mask` argument gets the mask of its first input
   when the caller passes none.
2. After the call, a layer that `supports_masking` attaches
   `compute_mask(inputs, mask)` to its outputs; the default passes the mask on
   unchanged, and a layer that used the mask up returns None. An output that
   already carries a mask keeps it.
3. Any other layer drops the mask: its outputs carry none.
"""

import torch

from minilib.graph.keras_tensor import KerasTensor
from minilib.utils import tree


def mask_of(inputs):
    """The mask that travels with `inputs` (a list of masks for a list), or None."""
    if isinstance(inputs, list | tuple):
        masks = [getattr(t, "_keras_mask", None) for t in tree.flatten(inputs)]
        return masks if any(m is not None for m in masks) else None
    return getattr(inputs, "_keras_mask", None)


def attach_mask(outputs, mask):
    """Let each output carry its mask, the masks paired with `outputs` in flat order.

    A single mask goes with the first output only, and an output that already
    carries a mask keeps it (Keras's rules).
    """
    if mask is None:
        return
    flat = tree.flatten(outputs)
    for tensor, tensor_mask in zip(flat, tree.flatten(mask), strict=False):
        if (tensor_mask is not None and isinstance(tensor, torch.Tensor | KerasTensor)
                and getattr(tensor, "_keras_mask", None) is None):
            tensor._keras_mask = tensor_mask
