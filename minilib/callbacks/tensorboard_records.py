"""What the TensorBoard callback writes, in TensorBoard's formats.

TensorBoard reads records, not minilib objects. These functions turn a model's
parts into what its tabs draw:

- `weight_as_images`: a weight as grayscale pictures, for the Images tab;
- `graph_def`: the graph of layer calls as a TensorFlow `GraphDef`, for the Graphs tab;
- `embedding_layers` and `write_projector_files`: each Embedding matrix as a
  `.tsv` file with a `projector_config.pbtxt`, for the Projector tab.

    >>> weight_as_images(np.zeros((784, 10))).shape    # a Dense kernel, drawn wider than tall
    (1, 10, 784, 1)
"""

import os

import numpy as np

from minilib.layers.core.embedding import Embedding


def embedding_layers(model, metadata):
    """The model's Embedding layers, each with its metadata file (or None)."""
    layers = [layer for layer in model.layers if isinstance(layer, Embedding)]
    if isinstance(metadata, dict):
        unknown = set(metadata) - {layer.name for layer in layers}
        if unknown:
            raise ValueError(f"TensorBoard: embeddings_metadata names {sorted(unknown)}, which "
                             f"are not Embedding layers of model '{model.name}'; its Embedding "
                             f"layers are {[layer.name for layer in layers]}.")
        return [(layer, metadata.get(layer.name)) for layer in layers]
    return [(layer, metadata) for layer in layers]


def weight_as_images(values):
    """A weight drawn as grayscale images `(n, height, width, 1)`, as Keras lays them out.

    A bias is one column, a Dense kernel one image (turned to be wider than tall),
    a 1D convolution kernel `(size, in, out)` one image per filter. Other shapes
    return None: they have no picture that reads well.
    """
    values = np.squeeze(values)
    if values.ndim == 1:
        return values.reshape(1, -1, 1, 1)
    if values.ndim == 2:
        values = values.T if values.shape[0] > values.shape[1] else values
        return values[None, :, :, None]
    if values.ndim == 3:
        return np.transpose(values, (2, 0, 1))[..., None]
    return None


def graph_def(graph_nodes):
    """A TensorFlow GraphDef with one node per layer call, which TensorBoard's Graphs tab draws.

    A node's `op` is the layer's class; its `_output_shapes` label the edges
    (-1 for the batch size). The calls of a shared layer are grouped under the
    layer's name, as `name/call_0`, `name/call_1`, ...
    """
    from tensorboard.compat.proto.attr_value_pb2 import AttrValue
    from tensorboard.compat.proto.graph_pb2 import GraphDef
    from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto

    names = [node.layer.name if node.calls == 1 else f"{node.layer.name}/call_{node.call}"
             for node in graph_nodes]
    graph = GraphDef()
    for name, node in zip(names, graph_nodes, strict=True):
        shapes = [TensorShapeProto(dim=[TensorShapeProto.Dim(size=-1 if size is None else size)
                                        for size in shape]) for shape in node.output_shapes]
        graph.node.add(name=name, op=type(node.layer).__name__,
                       input=[names[parent] for parent in node.parents],
                       attr={"_output_shapes": AttrValue(list=AttrValue.ListValue(shape=shapes))})
    return graph


def write_projector_files(log_dir, layers):
    """Write each Embedding matrix as `<name>.embeddings.tsv`, and `projector_config.pbtxt`.

    `layers` holds `(layer, metadata file or None)` pairs, as `embedding_layers` gives
    them. The Projector tab reads the config, then each matrix: one row per token.
    """
    from google.protobuf import text_format
    from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

    os.makedirs(log_dir, exist_ok=True)
    config = ProjectorConfig()
    for layer, metadata_path in layers:
        matrix = layer.embeddings.detach().float().cpu().numpy()
        tensor_path = f"{layer.name}.embeddings.tsv"
        np.savetxt(os.path.join(log_dir, tensor_path), matrix, delimiter="\t")
        entry = config.embeddings.add(tensor_name=layer.name, tensor_path=tensor_path)
        entry.tensor_shape.extend(matrix.shape)
        if metadata_path:
            entry.metadata_path = metadata_path
    with open(os.path.join(log_dir, "projector_config.pbtxt"), "w") as file:
        file.write(text_format.MessageToString(config))
