"""A functional model's config: its layers and how they are wired, in Keras 3's layout.

    {"name": "model", "trainable": True,
     "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {...},
         "name": "pixels", "inbound_nodes": []},
        {"module": "keras.layers", "class_name": "Dense", "config": {...},
         "name": "dense", "inbound_nodes": [
            {"args": [{"class_name": "__keras_tensor__",
                       "config": {"shape": [None, 784], "dtype": "float32",
                                  "keras_history": ["pixels", 0, 0]}}],
             "kwargs": {}}]}],
     "input_layers": ["pixels", 0, 0],
     "output_layers": ["dense", 0, 0]}

Each layer lists its *inbound nodes*: the calls made on it in this model. A
call's tensor arguments are written as `keras_history = [layer name, node
index, tensor index]`: "output number `tensor index` of call number `node
index` of that layer". A shared layer simply has several inbound nodes.

Rebuilding repeats the calls: create every layer, then call each one on the
tensors its node names, as soon as those tensors exist, until all calls are done.
"""

from minilib.graph.keras_tensor import KerasTensor
from minilib.serialization.object_configs import deserialize_keras_object, serialize_keras_object
from minilib.utils import tree


def layers_in_keras_order(model):
    """The model's layers in the order Keras lists them: deepest first.

    A layer's depth is the longest path from it to an output. Layers of equal
    depth keep the order in which a walk back from the outputs first met them.
    Keras stores weights and configs in this order, so we do too.
    """
    nodes, first_seen = _nodes_from_outputs(model)
    in_model = set(nodes)
    node_depth, layer_depth = {}, {}
    for node in reversed(nodes):  # from the outputs back to the inputs
        depth = max(node_depth.setdefault(node, 0), layer_depth.get(node.operation, 0))
        node_depth[node] = layer_depth[node.operation] = depth
        for parent in node.parent_nodes:
            if parent in in_model:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
    for tensor in model.inputs:  # inputs that no output depends on still count
        layer = tensor._keras_history.operation
        if layer not in layer_depth:
            layer_depth[layer], first_seen[layer] = 0, -1
    return sorted(layer_depth, key=lambda layer: (-layer_depth[layer], first_seen[layer]))


def _nodes_from_outputs(model):
    """All nodes of the model, each after the nodes it depends on, and when each layer was met."""
    nodes, first_seen, finished = [], {}, set()

    def visit(node):
        if node in finished:
            return
        first_seen.setdefault(node.operation, len(first_seen))
        for tensor in node.input_tensors:
            visit(tensor.node)
        finished.add(node)
        nodes.append(node)

    for tensor in model.outputs:
        visit(tensor.node)
    return nodes, first_seen


def functional_get_config(model):
    """The config of a functional model: every layer, its calls, and the inputs and outputs."""
    own_nodes = set(_nodes_from_outputs(model)[0])
    own_nodes.update(tensor.node for tensor in model.inputs)

    def own_index(layer, node_index):
        """The node's index among this model's calls of `layer` (a shared layer may also
        have calls in other models, which are not saved here)."""
        return sum(node in own_nodes for node in layer._inbound_nodes[:node_index])

    def serialize_argument(value):
        if not isinstance(value, KerasTensor):
            return serialize_keras_object(value)
        layer, node_index, tensor_index = value._keras_history
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(value.shape), "dtype": value.dtype,
                           "keras_history": [layer.name, own_index(layer, node_index),
                                             tensor_index]}}

    layer_configs = []
    for layer in layers_in_keras_order(model):
        layer_config = serialize_keras_object(layer)
        layer_config["name"] = layer.name
        layer_config["inbound_nodes"] = [
            {"args": tree.map_structure(serialize_argument, list(node.call_args)),
             "kwargs": tree.map_structure(serialize_argument, node.call_kwargs)}
            for node in layer._inbound_nodes if node in own_nodes and not node.is_input]
        layer_configs.append(layer_config)

    def endpoint(tensor):
        layer, node_index, tensor_index = tensor._keras_history
        return [layer.name, own_index(layer, node_index) + _node_offset(layer), tensor_index]

    return {"name": model.name, "trainable": model.trainable, "layers": layer_configs,
            "input_layers": tree.map_structure(endpoint, model._inputs_struct),
            "output_layers": tree.map_structure(endpoint, model._outputs_struct)}


def _node_offset(layer):
    """Keras numbers a nested functional model's calls from 1 in `input_layers` and
    `output_layers` (but from 0 everywhere else); we write and read the same."""
    return 1 if getattr(layer, "_obj_type", None) == "Functional" else 0


def functional_from_config(cls, config, custom_objects=None):
    """Rebuild a functional model (of class `cls`) from `functional_get_config`'s dict."""
    config = dict(config)
    layer_configs = config.pop("layers")
    input_layers, output_layers = config.pop("input_layers"), config.pop("output_layers")

    layers, pending_calls = {}, {}
    for layer_config in layer_configs:
        name = layer_config["name"]
        layers[name] = deserialize_keras_object(layer_config, custom_objects)
        pending_calls[name] = list(layer_config.get("inbound_nodes", []))

    # A call can run once the layers producing its inputs have made those calls.
    # Shared layers may need several rounds: in A(B(A(x))), A's second call waits for B.
    while any(pending_calls.values()):
        progress = False
        for name, calls in pending_calls.items():
            while calls:
                arguments = _call_arguments(calls[0], layers, custom_objects)
                if arguments is None:
                    break
                args, kwargs = arguments
                layers[name](*args, **kwargs)
                calls.pop(0)
                progress = True
        if not progress:
            waiting = sorted(name for name, calls in pending_calls.items() if calls)
            raise ValueError(f"Invalid functional model config: the calls of layer(s) "
                             f"{waiting} wait for tensors that are never made.")

    def endpoint(layer_name, node_index, tensor_index):
        layer = _known_layer(layers, layer_name)
        node = layer._inbound_nodes[node_index - _node_offset(layer)]
        return node.output_tensors[tensor_index]

    inputs = _map_endpoints(endpoint, input_layers)
    outputs = _map_endpoints(endpoint, output_layers)
    return cls(inputs=inputs, outputs=outputs, **config)


def _call_arguments(node_config, layers, custom_objects):
    """The `(args, kwargs)` of a saved call, or None while an input tensor does not exist yet."""
    if not isinstance(node_config, dict):
        raise ValueError("This functional model config uses the Keras 2 layout for inbound "
                         "nodes, which minilib cannot read; re-save it with Keras 3.")
    missing = False

    def revive(value):
        nonlocal missing
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            layer_name, node_index, tensor_index = value["config"]["keras_history"]
            layer = _known_layer(layers, layer_name)
            if node_index >= len(layer._inbound_nodes):
                missing = True
                return None
            return layer._inbound_nodes[node_index].output_tensors[tensor_index]
        if isinstance(value, list):
            return [revive(item) for item in value]
        if isinstance(value, dict) and "class_name" not in value:
            return {key: revive(item) for key, item in value.items()}
        return deserialize_keras_object(value, custom_objects)

    args = revive(node_config.get("args", []))
    # Keras records `mask=None` when it calls a nested model; minilib has no masks.
    kwargs = {key: value for key, value in revive(node_config.get("kwargs", {})).items()
              if not (key == "mask" and value is None)}
    return None if missing else (args, kwargs)


def _known_layer(layers, name):
    if name not in layers:
        raise ValueError(f"Invalid functional model config: a call refers to layer '{name}', "
                         f"which is not among its layers {sorted(layers)}.")
    return layers[name]


def _map_endpoints(endpoint, structure):
    """Apply `endpoint` to each `[layer name, node index, tensor index]` in `structure`."""
    if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
        return endpoint(*structure)
    if isinstance(structure, dict):
        return {key: _map_endpoints(endpoint, value) for key, value in structure.items()}
    return [_map_endpoints(endpoint, value) for value in structure]
