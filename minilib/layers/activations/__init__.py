"""Activation functions as layers of their own."""

from minilib.layers.activations.elu import ELU
from minilib.layers.activations.leaky_relu import LeakyReLU
from minilib.layers.activations.relu import ReLU
from minilib.layers.activations.softmax import Softmax

__all__ = ["ELU", "LeakyReLU", "ReLU", "Softmax"]
