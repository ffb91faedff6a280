"""Masks: which time steps of a padded batch of sequences are real.

Sentences of different lengths are padded to one length, e.g. with zeros. A
mask is a boolean tensor of shape `(batch, time)`: True where there is data.
`Embedding(mask_zero=True)` makes one; it then travels *with the tensor*, as
its attribute `_keras_mask`, through every layer that `supports_masking`, until
a layer that needs it (an LSTM skips the padded steps) receives it as its
`mask=` argument::

    x = minilib.layers.Embedding(1000, 16, mask_zero=True)(tokens)
    x._keras_mask          # tensor([[True, True, False, ...], ...])
"""

import torch

from minilib.utils import tree


def mask_of(inputs):
    """The mask that travels with `inputs` (a list of masks for a list), or None."""
    if isinstance(inputs, torch.Tensor):
        return getattr(inputs, "_keras_mask", None)
    if isinstance(inputs, list | tuple):
        masks = [getattr(t, "_keras_mask", None) for t in tree.flatten(inputs)]
        return masks if any(m is not None for m in masks) else None
    return None


def attach_mask(outputs, mask):
    """Let `mask` travel with `outputs` (each output gets its own mask from a list)."""
    flat = tree.flatten(outputs)
    masks = mask if isinstance(mask, list | tuple) else [mask] * len(flat)
    for tensor, tensor_mask in zip(flat, masks, strict=False):
        if isinstance(tensor, torch.Tensor):
            tensor._keras_mask = tensor_mask
