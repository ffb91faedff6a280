"""Layers: the building blocks of models. Every layer is a `torch.nn.Module`."""

from minilib.layers.activations.elu import ELU
from minilib.layers.activations.leaky_relu import LeakyReLU
from minilib.layers.activations.relu import ReLU
from minilib.layers.activations.softmax import Softmax
from minilib.layers.core.activation import Activation
from minilib.layers.core.dense import Dense
from minilib.layers.core.identity import Identity
from minilib.layers.core.input_layer import Input, InputLayer
from minilib.layers.core.lambda_layer import Lambda
from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer
from minilib.layers.merging.concatenate import Concatenate, concatenate
from minilib.layers.merging.elementwise import (
    Add,
    Average,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    maximum,
    minimum,
    multiply,
    subtract,
)
from minilib.layers.regularization.dropout import Dropout
from minilib.layers.reshaping.flatten import Flatten
from minilib.layers.reshaping.reshape import Reshape

__all__ = [
    "ELU", "Activation", "Add", "Average", "Concatenate", "Dense", "Dropout", "Flatten",
    "Identity", "Input", "InputLayer", "InputSpec", "Lambda", "Layer", "LeakyReLU", "Maximum",
    "Minimum", "Multiply", "ReLU", "Reshape", "Softmax", "Subtract", "add", "average",
    "concatenate", "maximum", "minimum", "multiply", "subtract",
]
