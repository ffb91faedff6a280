"""Masking: mark the padded time steps of float sequences, so later layers skip them."""

import torch

from minilib.layers.layer import Layer


class Masking(Layer):
    """Mark the time steps whose features all equal `mask_value` as padding.

    For float sequences padded with a constant (Embedding's `mask_zero` does the
    same for tokens). For each sample and step::

        mask[b, t] = any(inputs[b, t, :] != mask_value)
        output[b, t] = inputs[b, t] if mask[b, t] else 0

    The mask travels with the output, so a following LSTM skips the padded steps
    (the rules of that journey are in `minilib/layers/mask_propagation.py`).

    Args:
        mask_value: the padding value (default 0.0).

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        The same as the input.

    Example:

    >>> x = np.array([[[1.0], [0.0]]])             # the second step is padding
    >>> minilib.layers.Masking()(x)._keras_mask
    tensor([[ True, False]])
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def call(self, inputs):
        keep = self.compute_mask(inputs).unsqueeze(-1)
        return torch.where(keep, inputs, inputs.new_zeros(()))

    def compute_mask(self, inputs, previous_mask=None):
        return (inputs != self.mask_value).any(dim=-1)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
