"""`minilib.applications.resnet50`: ResNet50 with its preprocessing, under Keras's module name."""

from minilib.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
