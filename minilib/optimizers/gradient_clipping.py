"""Gradient clipping: keep one unusually large gradient from throwing training off.

Three ways, each chosen by an optimizer argument:

- `clipnorm=c`: rescale each gradient on its own so its L2 norm is at most `c`;
- `global_clipnorm=c`: rescale all gradients by one common factor so the norm of
  all of them, seen as one long vector, is at most `c` (their relative sizes stay);
- `clipvalue=c`: clip every entry to `[-c, c]` (this can change the direction).

Each function returns new tensors and leaves the caller's gradients unchanged.
"""

import torch


def clip_by_norm(gradient, clipnorm):
    """`g * clipnorm / max(||g||, clipnorm)`: unchanged when already short enough."""
    norm = torch.linalg.vector_norm(gradient)
    return gradient * (clipnorm / norm.clamp(min=clipnorm))


def clip_by_global_norm(grads, clipnorm):
    """Every `g * clipnorm / max(global_norm, clipnorm)`, where `global_norm` is
    `sqrt(sum of ||g||**2 over all gradients)`."""
    norms = torch.stack([torch.linalg.vector_norm(gradient) for gradient in grads])
    scale = clipnorm / torch.linalg.vector_norm(norms).clamp(min=clipnorm)
    return [gradient * scale for gradient in grads]


def clip_by_value(gradient, clipvalue):
    """Each entry clipped to `[-clipvalue, clipvalue]`."""
    return gradient.clamp(-clipvalue, clipvalue)
