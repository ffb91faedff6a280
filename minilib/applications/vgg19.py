"""`minilib.applications.vgg19`: VGG19 with its preprocessing, under Keras's module name."""

from minilib.applications.vgg import VGG19, decode_predictions, preprocess_input

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]
