"""Preprocessing and augmentation layers: prepare raw data inside the model."""

from minilib.layers.preprocessing.center_crop import CenterCrop
from minilib.layers.preprocessing.normalization import Normalization
from minilib.layers.preprocessing.random_flip import RandomFlip
from minilib.layers.preprocessing.random_rotation import RandomRotation
from minilib.layers.preprocessing.random_translation import RandomTranslation
from minilib.layers.preprocessing.random_zoom import RandomZoom
from minilib.layers.preprocessing.rescaling import Rescaling
from minilib.layers.preprocessing.resizing import Resizing

__all__ = ["CenterCrop", "Normalization", "RandomFlip", "RandomRotation", "RandomTranslation",
           "RandomZoom", "Rescaling", "Resizing"]
