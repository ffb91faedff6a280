"""Rescaling: multiply the inputs by a scale and add an offset, e.g. to bring pixels to [0, 1]."""

import numpy as np
import torch

from minilib.layers.layer import Layer


class Rescaling(Layer):
    """Compute `inputs * scale + offset`.

        y = x * scale + offset

    The usual first layer of an image model: `Rescaling(1 / 255)` maps pixel
    values from [0, 255] to [0, 1], and `Rescaling(1 / 127.5, offset=-1)` to
    [-1, 1]. Integer inputs (uint8 images) become floats.

    Args:
        scale: a number (or an array broadcast against the input, e.g. per channel).
        offset: a number or array added after scaling (default 0).

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> minilib.layers.Rescaling(1 / 255)(np.array([[0, 255]], dtype="uint8"))
    tensor([[0., 1.]])
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs):
        inputs = inputs if inputs.is_floating_point() else inputs.to(self._torch_dtype)
        scale, offset = (torch.as_tensor(np.asarray(v), dtype=inputs.dtype, device=inputs.device)
                         for v in (self.scale, self.offset))
        return inputs * scale + offset

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "scale": np.array(self.scale).tolist(),
                "offset": np.array(self.offset).tolist()}
