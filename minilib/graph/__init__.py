"""minilib's own graph: symbolic tensors and the nodes that connect them."""

from minilib.graph.keras_tensor import KerasTensor, is_symbolic
from minilib.graph.node import Node

__all__ = ["KerasTensor", "Node", "is_symbolic"]
