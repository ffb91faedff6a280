"""`minilib.applications.vgg16`: VGG16 with its preprocessing, under Keras's module name."""

from minilib.applications.vgg import VGG16, decode_predictions, preprocess_input

__all__ = ["VGG16", "decode_predictions", "preprocess_input"]
