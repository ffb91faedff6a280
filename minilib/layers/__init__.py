"""Layers: the building blocks of models. Every layer is a `torch.nn.Module`.

Each family of layers lives in its own folder and lists its public names in
that folder's `__init__.py`; everything is also available as `minilib.layers.X`.
"""

from minilib.layers import (
    activations,
    attention,
    convolutional,
    normalization,
    pooling,
    preprocessing,
    regularization,
    reshaping,
    rnn,
)
from minilib.layers.activations import *  # noqa: F403
from minilib.layers.attention import *  # noqa: F403
from minilib.layers.convolutional import *  # noqa: F403
from minilib.layers.core.activation import Activation
from minilib.layers.core.dense import Dense
from minilib.layers.core.embedding import Embedding
from minilib.layers.core.identity import Identity
from minilib.layers.core.input_layer import Input, InputLayer
from minilib.layers.core.lambda_layer import Lambda
from minilib.layers.core.masking import Masking
from minilib.layers.core.torch_module_wrapper import TorchModuleWrapper
from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer
from minilib.layers.layer_serialization import deserialize, serialize
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
from minilib.layers.normalization import *  # noqa: F403
from minilib.layers.pooling import *  # noqa: F403
from minilib.layers.preprocessing import *  # noqa: F403
from minilib.layers.regularization import *  # noqa: F403
from minilib.layers.reshaping import *  # noqa: F403
from minilib.layers.rnn import *  # noqa: F403

__all__ = [
    "Activation", "Add", "Average", "Concatenate", "Dense", "Embedding", "Identity", "Input",
    "InputLayer", "InputSpec", "Lambda", "Layer", "Masking", "Maximum", "Minimum", "Multiply",
    "Subtract", "add", "average", "concatenate", "deserialize", "maximum", "minimum",
    "multiply", "serialize", "subtract", "TorchModuleWrapper", *activations.__all__,
    *attention.__all__, *convolutional.__all__, *normalization.__all__, *pooling.__all__,
    *preprocessing.__all__, *regularization.__all__, *reshaping.__all__, *rnn.__all__,
]
