"""Normalization layers: rescale activations to a steady mean and spread."""

from minilib.layers.normalization.batch_normalization import BatchNormalization
from minilib.layers.normalization.group_normalization import GroupNormalization
from minilib.layers.normalization.layer_normalization import LayerNormalization

__all__ = ["BatchNormalization", "GroupNormalization", "LayerNormalization"]
