"""Reshaping layers: change a sample's shape without learning anything."""

from minilib.layers.reshaping.cropping2d import Cropping2D
from minilib.layers.reshaping.flatten import Flatten
from minilib.layers.reshaping.permute import Permute
from minilib.layers.reshaping.repeat_vector import RepeatVector
from minilib.layers.reshaping.reshape import Reshape
from minilib.layers.reshaping.up_sampling2d import UpSampling2D
from minilib.layers.reshaping.zero_padding2d import ZeroPadding2D

__all__ = ["Cropping2D", "Flatten", "Permute", "RepeatVector", "Reshape", "UpSampling2D",
           "ZeroPadding2D"]
