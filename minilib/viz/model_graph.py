"""ModelGraph: draw a model as the graph of layer calls that minilib recorded."""

from dataclasses import dataclass, field

from minilib.viz.display import Widget, new_figure
from minilib.viz.weights_viewer import WeightsViewer


@dataclass
class GraphNode:
    """One box: a call of `layer`, at `depth`, fed by the boxes numbered in `parents`."""

    layer: object
    output_shapes: list
    depth: int = 0
    parents: list = field(default_factory=list)
    call: int = 0  # which call of a shared layer (0 when it is called once)
    calls: int = 1
    position: tuple = (0.0, 0.0)


class ModelGraph(Widget):
    """A drawing of a model's layer graph; choosing a layer shows its weights.

    Every time a layer is called on a symbolic tensor (from `minilib.Input`),
    minilib records a `Node`: which layer, on which tensors, giving which tensors.
    A model *is* that graph, and drawing it shows what `summary()` flattens into a
    table: where branches split and merge, which inputs feed which outputs, and
    which layers are shared (one layer, several calls, the same weights).

    Each box is one layer call: its name and type, its output shape and its
    number of parameters. Boxes are placed by depth (the longest path from an
    input), so data flows from top to bottom. A shared layer gets one box per
    call, labelled "call 1/2", "call 2/2"; its parameters are counted once.
    In a notebook, `graph.show()` draws it with the layers to choose from below;
    `graph.select("dense_1")` does the same from code.

    Only Sequential and functional models have a recorded graph; a subclassed
    model's `call` is Python code that minilib does not record.

    Args:
        model: a Sequential or functional minilib model with a known input shape.
        show_shapes, show_layer_names, show_params, show_dtype,
        show_layer_activations, show_trainable: what each box says.
        rankdir: "TB" (top to bottom) or "LR" (left to right).

    Example: one Dense layer shared by two inputs, so it gets two boxes.

    >>> left = minilib.Input(shape=(4,), name="left")
    >>> right = minilib.Input(shape=(4,), name="right")
    >>> shared = minilib.layers.Dense(2, name="shared")
    >>> merged = minilib.layers.Add()([shared(left), shared(right)])
    >>> graph = minilib.viz.ModelGraph(minilib.Model([left, right], merged))
    >>> print(graph.label(graph.nodes[2]))
    shared (Dense)
    shared: call 1/2
    output: (None, 2)
    params: 10
    >>> graph.edges                         # (from box, to box): both calls feed the Add
    [(0, 2), (1, 3), (2, 4), (3, 4)]
    """

    def __init__(self, model, show_shapes=True, show_layer_names=True, show_params=True,
                 show_dtype=False, show_layer_activations=False, show_trainable=False,
                 rankdir="TB"):
        if rankdir not in ("TB", "LR"):
            raise ValueError(f"rankdir must be 'TB' or 'LR', got {rankdir!r}.")
        self.model = model
        self.options = {"shapes": show_shapes, "names": show_layer_names,
                        "params": show_params, "dtype": show_dtype,
                        "activations": show_layer_activations, "trainable": show_trainable}
        self.rankdir = rankdir
        self.nodes = _graph_nodes(model)
        _place(self.nodes)
        self.selected = None
        self._weights = None

    @property
    def edges(self):
        """`(parent index, child index)` pairs, one per arrow."""
        return [(parent, child) for child, node in enumerate(self.nodes) for parent in node.parents]

    def label(self, node):
        """The text in a box."""
        layer = node.layer
        kind = type(layer).__name__
        lines = [f"{layer.name} ({kind})" if self.options["names"] else kind]
        if node.calls > 1:
            lines.append(f"shared: call {node.call + 1}/{node.calls}")
        activation = getattr(layer, "activation", None)
        if self.options["activations"] and callable(activation):
            lines.append(f"activation: {getattr(activation, '__name__', activation)}")
        if self.options["shapes"]:
            shapes = ", ".join(str(shape) for shape in node.output_shapes)
            lines.append(f"output: {shapes}")
        if self.options["dtype"]:
            lines.append(f"dtype: {layer.dtype}")
        if self.options["params"]:
            lines.append(f"params: {sum(w.numel() for w in layer.weights):,}")
        if self.options["trainable"]:
            lines.append(f"trainable: {layer.trainable}")
        return "\n".join(lines)

    def select(self, layer):
        """Highlight `layer` (or its name) and show its weights below the drawing."""
        if isinstance(layer, str):
            layer = self.model.get_layer(layer)
        self.selected = layer
        if self._weights is not None and layer in self._weights.layers:
            self._weights.select(layer)
        self.refresh()

    def figure(self):
        depth = max(node.depth for node in self.nodes) + 1
        width = max(sum(1 for n in self.nodes if n.depth == d) for d in range(depth))
        across, along = max(3.0, 2.8 * width), 1.3 * depth + 0.4
        figure = new_figure(*((across, along) if self.rankdir == "TB" else (along * 2, across)))
        axes = figure.subplots()
        axes.set_axis_off()
        texts = []
        for node in self.nodes:
            x, y = self._xy(node.position)
            color = _fill_color(node)
            edge = ("red", 2.5) if node.layer is self.selected else ("black", 0.8)
            texts.append(axes.text(x, y, self.label(node), ha="center", va="center",
                                   fontsize=8, bbox={"boxstyle": "round,pad=0.5", "fc": color,
                                                     "ec": edge[0], "lw": edge[1]}))
        start, end = ((0.5, 0.0), (0.5, 1.0)) if self.rankdir == "TB" else ((1.0, 0.5),
                                                                             (0.0, 0.5))
        for parent, child in self.edges:
            axes.annotate("", xy=end, xycoords=texts[child], xytext=start,
                          textcoords=texts[parent],
                          arrowprops={"arrowstyle": "-|>", "mutation_scale": 14,
                                      "shrinkA": 6, "shrinkB": 6})
        xs, ys = zip(*(self._xy(node.position) for node in self.nodes), strict=True)
        axes.set_xlim(min(xs) - 0.7, max(xs) + 0.7)
        axes.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
        return figure

    def _xy(self, position):
        across, depth = position
        return (across, -depth) if self.rankdir == "TB" else (depth, -across)

    def to_dot(self, dpi=None):
        """The graph in Graphviz's DOT language (what `plot_model` gives to `dot`)."""
        lines = ["digraph model {", f"  rankdir={self.rankdir};",
                 '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];']
        if dpi:
            lines.insert(1, f"  dpi={dpi};")
        for index, node in enumerate(self.nodes):
            text = self.label(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            lines.append(f'  n{index} [label="{text}", fillcolor="{_fill_color(node)}"];')
        lines += [f"  n{parent} -> n{child};" for parent, child in self.edges]
        return "\n".join([*lines, "}"]) + "\n"

    def controls(self):
        import ipywidgets

        names = list(dict.fromkeys(node.layer.name for node in self.nodes))
        chooser = ipywidgets.Dropdown(options=["(none)", *names], description="layer")
        chooser.observe(lambda change: self.select(None if change["new"] == "(none)"
                                                   else change["new"]), names="value")
        return [chooser]

    def views_below(self):
        if not any(layer.built and layer.weights for layer in self.model.layers):
            return []
        self._weights = WeightsViewer(self.model)
        return [self._weights.widget]


def _fill_color(node):
    """Green for inputs, orange for the calls of a shared layer, blue for the rest."""
    return "#c8e6c9" if not node.parents else "#ffe0b2" if node.calls > 1 else "#bbdefb"


def _graph_nodes(model):
    """The model's layer calls as GraphNodes, inputs first, each after its parents."""
    if getattr(model, "_nodes", None) is not None:
        calls = list(model._nodes)
    elif getattr(model, "_graph_nodes", None) and model.inputs:
        calls = [node for _, node in model._graph_nodes]
    else:
        raise ValueError(f"Model '{model.name}' has no recorded graph to draw: give a "
                         f"Sequential model an input shape (minilib.Input), or use a "
                         f"functional model. A subclassed model's call() is not recorded.")
    inputs = [tensor.node for tensor in model.inputs]
    order = inputs + [node for node in calls if node not in inputs]
    index = {id(node): i for i, node in enumerate(order)}
    layer_calls = {}
    for node in order:
        layer_calls.setdefault(id(node.operation), []).append(node)
    result = []
    for node in order:
        parents = list(dict.fromkeys(index[id(t.node)] for t in node.input_tensors))
        same_layer = layer_calls[id(node.operation)]
        result.append(GraphNode(
            layer=node.operation, output_shapes=[t.shape for t in node.output_tensors],
            depth=max((result[p].depth + 1 for p in parents), default=0), parents=parents,
            call=same_layer.index(node), calls=len(same_layer)))
    return result


def _place(nodes):
    """Give each node a position `(across, depth)`: rows by depth, each row centred,
    and within a row ordered by where its parents are, so arrows cross less."""
    for depth in range(max(node.depth for node in nodes) + 1):
        row = [node for node in nodes if node.depth == depth]

        def parents_across(node):
            places = [nodes[p].position[0] for p in node.parents]
            return sum(places) / len(places) if places else 0.0

        row.sort(key=parents_across)
        for slot, node in enumerate(row):
            node.position = (slot - (len(row) - 1) / 2, depth)
