"""Reshaping layers: change a sample's shape without learning anything."""

from minilib.layers.reshaping.flatten import Flatten
from minilib.layers.reshaping.reshape import Reshape

__all__ = ["Flatten", "Reshape"]
