"""Masks travel with tensors through layers that support masking, to layers that use them."""

import numpy as np
import torch

import minilib
from minilib import layers


class PadMask(layers.Layer):
    """Marks zero rows as padding, like Embedding(mask_zero=True) does for token 0."""

    def compute_mask(self, inputs, previous_mask=None):
        return minilib.ops.any(inputs != 0, axis=-1)


class MaskedMean(layers.Layer):
    """Averages over time, skipping masked steps."""

    def call(self, inputs, mask=None):
        if mask is None:
            return minilib.ops.mean(inputs, axis=1)
        weights = minilib.ops.expand_dims(minilib.ops.cast(mask, inputs.dtype), -1)
        return minilib.ops.sum(inputs * weights, axis=1) / minilib.ops.sum(weights, axis=1)


def test_mask_flows_through_dense_and_dropout_into_a_consumer():
    x = np.zeros((2, 4, 3), dtype="float32")
    x[0, :2] = 1.0
    x[1, :3] = 2.0
    inputs = minilib.Input(shape=(4, 3))
    hidden = layers.Dropout(0.1)(layers.Dense(5, bias_initializer="ones")(PadMask()(inputs)))
    model = minilib.Model(inputs, MaskedMean()(hidden))
    out = model(x)
    dense = model.layers[2]
    expected = torch.stack([dense(torch.as_tensor(x[0, :2])).mean(0),
                            dense(torch.as_tensor(x[1, :3])).mean(0)])
    torch.testing.assert_close(out, expected)


def test_layers_without_masking_drop_the_mask():
    x = torch.ones(2, 3, 4)
    masked = PadMask()(x)
    assert masked._keras_mask.shape == (2, 3)
    assert getattr(layers.Flatten()(masked), "_keras_mask", None) is None
    assert layers.Activation("relu")(masked)._keras_mask is masked._keras_mask
