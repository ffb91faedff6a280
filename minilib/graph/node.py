"""Node: one call of a layer on symbolic tensors.

A node remembers the layer (`operation`), the arguments it was called with,
and the tensors it produced. Each output tensor points back to its node, and
each node's inputs point to *their* nodes, so starting from a model's outputs
we can walk back to its inputs. That walk is all a functional model needs.
"""

from minilib.graph.keras_tensor import KerasHistory, KerasTensor
from minilib.utils import tree


class Node:
    """The record of `operation(*call_args, **call_kwargs) -> outputs`."""

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=()):
        self.operation = operation
        self.call_args = call_args
        self.call_kwargs = call_kwargs or {}
        self.outputs = outputs
        self.input_tensors = [
            t for t in tree.flatten([call_args, self.call_kwargs]) if isinstance(t, KerasTensor)
        ]
        self.output_tensors = tree.flatten(outputs)

        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for tensor_index, tensor in enumerate(self.output_tensors):
            tensor._keras_history = KerasHistory(operation, node_index, tensor_index)

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs."""
        return [t.node for t in self.input_tensors]

    @property
    def is_input(self):
        """True for the node of an `Input`: it has no parents."""
        return not self.input_tensors

    def __repr__(self):
        return f"<Node {self.operation.name}: {len(self.input_tensors)} in, " \
               f"{len(self.output_tensors)} out>"
