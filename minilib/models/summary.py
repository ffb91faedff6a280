"""model.summary(): a table of layers, output shapes and parameter counts.

    Model: "sequential"
    ______________________________________________________________
     Layer (type)                Output Shape              Param #
    ==============================================================
     dense (Dense)               (None, 64)                 50,240
     dense_1 (Dense)             (None, 10)                    650
    ==============================================================
     Total params: 50,890 (198.79 KB)
     Trainable params: 50,890 (198.79 KB)
     Non-trainable params: 0 (0.00 B)
    ______________________________________________________________

A model whose layers are not a simple chain also gets a "Connected to"
column naming the layer(s) that feed each layer. Before a model is built
(a Sequential without an input shape, say) its layers show "?" for the
shape and "0 (unbuilt)" for the parameters, as in Keras.
"""

import textwrap

from minilib.layers.core.input_layer import InputLayer


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False):
    """Print `model`'s summary table with `print_fn` (default: `print`)."""
    print_fn = print_fn or print
    layers = _rows(model, expand_nested)
    connected = not _is_chain(model)
    headers = ["Layer (type)", "Output Shape", "Param #"]
    param_cells = [_param_count(layer) for _, layer in layers]
    widths = [32, 26, max([12] + [len(cell) + 3 for cell in param_cells])]
    if connected:
        headers.append("Connected to")
        widths.append(24)
    if show_trainable:
        headers.append("Trainable")
        widths.append(12)
    if line_length:
        scale = line_length / sum(widths)
        widths = [max(8, int(w * scale)) for w in widths]
    if positions:
        bounds = [int(p * line_length) if p <= 1 else int(p) for p in positions]
        widths = [b - a for a, b in zip([0, *bounds[:-1]], bounds, strict=True)]
    total_width = sum(widths)

    def line(cells):
        """One table row; a cell too long for its column wraps onto more lines, as in Keras."""
        wrapped = [textwrap.wrap(str(cell), max(width - 2, 1)) or [""]
                   for cell, width in zip(cells, widths, strict=False)]
        rows = []
        for depth in range(max(map(len, wrapped))):
            text = ""
            for parts, width, header in zip(wrapped, widths, headers, strict=False):
                cell = parts[depth] if depth < len(parts) else ""
                text += (cell.rjust(width - 2) + "  ") if header == "Param #" else \
                    (" " + cell).ljust(width)
            rows.append(text.rstrip())
        return "\n".join(rows)

    print_fn(f'Model: "{model.name}"')
    print_fn("_" * total_width)
    print_fn(line(headers))
    print_fn("=" * total_width)
    for index, (prefix, layer) in enumerate(layers):
        cells = [f"{prefix}{layer.name} ({type(layer).__name__})", _output_shape(layer, model),
                 param_cells[index]]
        if connected:
            cells.append(", ".join(_inbound_names(layer, model)) or "-")
        if show_trainable:
            cells.append(_trainable_mark(layer))
        print_fn(line(cells))
        if connected and index < len(layers) - 1:
            print_fn(" " + "." * (total_width - 2))
    print_fn("=" * total_width)
    print_fn(f" Total params: {_count_and_size(model.weights)}")
    print_fn(f" Trainable params: {_count_and_size(model.trainable_weights)}")
    print_fn(f" Non-trainable params: {_count_and_size(model.non_trainable_weights)}")
    print_fn("_" * total_width)


def _rows(model, expand_nested, prefix=""):
    rows = []
    for layer in model.layers:
        rows.append((prefix, layer))
        if expand_nested and hasattr(layer, "layers") and hasattr(layer, "summary"):
            rows.extend(_rows(layer, expand_nested, prefix + "  "))
    return rows


def _is_chain(model):
    """True for Sequential models and graphs where each layer feeds only the next."""
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        return True
    return len(getattr(model, "inputs", [])) == 1 and all(
        len(node.input_tensors) <= 1 for node in nodes)


def _nodes_in_model(layer, model):
    own = getattr(model, "_nodes", None)
    if own is not None:
        return [node for node in own if node.operation is layer]
    return [node for owner, node in getattr(model, "_graph_nodes", []) if owner is layer]


def _output_shape(layer, model):
    if isinstance(layer, InputLayer):
        return str(layer.batch_shape)
    nodes = _nodes_in_model(layer, model)
    if not nodes:
        return "?"
    shapes = [t.shape for t in nodes[0].output_tensors]
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _inbound_names(layer, model):
    names = []
    for node in _nodes_in_model(layer, model):
        for tensor in node.input_tensors:
            operation, node_index, tensor_index = tensor._keras_history
            names.append(f"{operation.name}[{node_index}][{tensor_index}]")
    return names


def _param_count(layer):
    if not layer.built:
        return "0 (unbuilt)"
    return f"{sum(w.numel() for w in layer.weights):,}"


def _trainable_mark(layer):
    """`Y` or `N` for a layer's `trainable`, `-` for a layer with no weights to train."""
    if not layer.weights:
        return "-"
    return "Y" if layer.trainable else "N"


def _count_and_size(weights):
    count = sum(w.numel() for w in weights)
    size = sum(w.numel() * w.element_size() for w in weights)
    unit = "B"
    for bigger in ("KB", "MB", "GB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    return f"{count:,} ({size:.2f} {unit})"
