"""ComputationGraph: the graph autograd builds for a small expression, micrograd style."""

import inspect

import torch
from torch.overrides import TorchFunctionMode

from minilib.viz.display import Widget, new_figure


class ComputationGraph(Widget):
    """The autograd graph of `output`, with each value's data and gradient.

    Every operation on tensors with `requires_grad=True` leaves a record in
    `tensor.grad_fn`: which backward function to run and which records feed it.
    `loss.backward()` walks those records from the output back to the leaves,
    applying the chain rule at each one. Drawing the records makes both passes
    visible: values flow left to right, gradients come back right to left.

    Each value is a box "name | data | grad" (names come from your variables);
    each operation is a circle. The graph is found by walking `output.grad_fn`; the
    `with` block only lets it also show the values of intermediate results, which
    autograd does not keep. `ComputationGraph(o)` works too, with "?" for those.
    The gradients are recorded by hooks on the graph while `backward()` runs, in
    the order autograd computes them. In a notebook, `graph.show()` draws it with a
    slider that replays the backward pass one node at a time.

    Args:
        output: the tensor whose graph to draw; left out inside a `with` block,
            where it is the last result computed in the block.
        names: `{name: tensor}` labels; inside a `with` block the caller's
            variable names are used.

    Attributes:
        nodes: `[{"kind": "value" or "op", "label", "tensor", "grad", "column"}]`.
        edges: `(from index, to index)` pairs, from inputs towards the output.
        backward_order: the value nodes in the order backward() gave them a gradient.
        step: how many backward steps to show (None: all of them).

    Example: micrograd's neuron, `tanh(x1 * w1 + x2 * w2 + b)`.

    >>> x1, w1 = torch.tensor(2.0, requires_grad=True), torch.tensor(-3.0, requires_grad=True)
    >>> x2, w2 = torch.tensor(0.0, requires_grad=True), torch.tensor(1.0, requires_grad=True)
    >>> b = torch.tensor(6.8813735, requires_grad=True)
    >>> with minilib.viz.ComputationGraph() as graph:   # records the values on the way
    ...     n = x1 * w1 + x2 * w2 + b
    ...     o = torch.tanh(n)
    >>> o.backward()
    >>> [node["label"] for node in graph.nodes if node["kind"] == "op"]
    ['tanh', 'add', 'add', 'mul', 'mul']
    >>> [graph.nodes[index]["label"] for index in graph.backward_order][:3]
    ['o', 'n', 'b']
    >>> x1.grad, w1.grad                  # the chain rule, as the boxes show it
    (tensor(-1.5000), tensor(1.0000))
    """

    def __init__(self, output=None, names=None):
        self.names = dict(names or {})
        self.nodes, self.edges, self.backward_order = [], [], []
        self.step = None
        self._recorded = []
        self._slider = None
        if output is not None:
            self._build(output)

    def __enter__(self):
        self._recorder = _Recorder(self._recorded)
        self._recorder.__enter__()
        return self

    def __exit__(self, *error):
        self._recorder.__exit__(*error)
        if error[0] is None:
            caller = inspect.currentframe().f_back.f_locals
            self.names = {**{k: v for k, v in caller.items() if isinstance(v, torch.Tensor)},
                          **self.names}
            if not self._recorded:
                raise ValueError("ComputationGraph recorded no operation on tensors that "
                                 "require gradients inside its `with` block.")
            self._build(self._recorded[-1])

    def _build(self, output):
        if output.grad_fn is None:
            raise ValueError("This tensor has no graph: make its inputs with "
                             "requires_grad=True and compute it from them.")
        known = {id(t.grad_fn): t for t in self._recorded}
        known[id(output.grad_fn)] = output
        value_of = {}

        def visit(function):
            if id(function) in value_of:
                return value_of[id(function)]
            leaf = getattr(function, "variable", None)
            tensor = leaf if leaf is not None else known.get(id(function))
            value = self._add("value", self._name(tensor, function), tensor)
            value_of[id(function)] = value
            function.register_hook(lambda _inputs, grads: self._record(value, grads[0]))
            if leaf is None:
                operation = self._add("op", _operation_name(function), None)
                self.edges.append((operation, value))
                for child, _ in function.next_functions:
                    if child is not None:
                        self.edges.append((visit(child), operation))
            return value

        visit(output.grad_fn)
        # Column: minus the longest path to the output, so every arrow points right.
        changed = True
        while changed:
            changed = False
            for start, end in self.edges:
                if self.nodes[start]["column"] > self.nodes[end]["column"] - 1:
                    self.nodes[start]["column"] = self.nodes[end]["column"] - 1
                    changed = True

    def _add(self, kind, label, tensor):
        self.nodes.append({"kind": kind, "label": label, "tensor": tensor, "grad": None,
                           "column": 0})
        return len(self.nodes) - 1

    def _name(self, tensor, function):
        for name, candidate in self.names.items():
            if candidate is tensor and tensor is not None:
                return name
        return "" if tensor is not None or hasattr(function, "variable") else "?"

    def _record(self, value, grad):
        if value == 0:  # the output's gradient comes first: a new backward pass
            self.backward_order = []
        self.nodes[value]["grad"] = grad.detach().clone()
        self.backward_order.append(value)
        if self._slider is not None:
            self._slider.max = self._slider.value = len(self.backward_order)
        self.refresh()

    def shown_grads(self):
        """`{value index: gradient}` for the backward steps revealed so far."""
        order = self.backward_order if self.step is None else self.backward_order[:self.step]
        return {index: self.nodes[index]["grad"] for index in order}

    def figure(self):
        grads = self.shown_grads()
        columns = {}
        for index, node in enumerate(self.nodes):
            columns.setdefault(node["column"], []).append(index)
        height = max(len(members) for members in columns.values())
        figure = new_figure(1.6 * len(columns) + 1, 1.0 * height + 0.8)
        axes = figure.subplots()
        axes.set_axis_off()
        texts = {}
        for column, members in columns.items():
            for slot, index in enumerate(members):
                node = self.nodes[index]
                y = (len(members) - 1) / 2 - slot
                if node["kind"] == "op":
                    texts[index] = axes.text(column, y, node["label"], ha="center", va="center",
                                             bbox={"boxstyle": "circle", "fc": "#eeeeee"})
                    continue
                grad = _format(grads[index]) if index in grads else "?"
                latest = bool(grads) and index == list(grads)[-1]
                text = f"{node['label'] or ' '} | data {_format(node['tensor'])} | grad {grad}"
                texts[index] = axes.text(column, y, text, ha="center", va="center", fontsize=8,
                                         bbox={"boxstyle": "square", "fc": "#fff3c4" if latest
                                               else "#ffffff"})
        for start, end in self.edges:
            axes.annotate("", xy=(0.0, 0.5), xycoords=texts[end], xytext=(1.0, 0.5),
                          textcoords=texts[start], arrowprops={"arrowstyle": "-|>"})
        axes.set_xlim(min(columns) - 0.8, 0.8)
        axes.set_ylim(-height / 2, height / 2)
        return figure

    def controls(self):
        import ipywidgets

        self._slider = ipywidgets.IntSlider(value=len(self.backward_order), min=0,
                                            max=len(self.backward_order),
                                            description="backward step")
        self._slider.observe(lambda change: self._show_step(change["new"]), names="value")
        return [self._slider]

    def _show_step(self, step):
        self.step = step
        self.refresh()


class _Recorder(TorchFunctionMode):
    """Keeps every tensor computed inside the block that is part of an autograd graph."""

    def __init__(self, recorded):
        super().__init__()
        self.recorded = recorded

    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = func(*args, **(kwargs or {}))
        if isinstance(result, torch.Tensor) and result.grad_fn is not None:
            self.recorded.append(result)
        return result


def _operation_name(function):
    """`MulBackward0` -> "mul"."""
    return type(function).__name__.removesuffix("0").removesuffix("Backward").lower()


def _format(tensor):
    if tensor is None:
        return "?"
    values = tensor.detach().cpu().reshape(-1)
    if values.numel() == 1:
        return f"{values.item():.4f}"
    if values.numel() <= 3:
        return "[" + ", ".join(f"{v:.3f}" for v in values.tolist()) + "]"
    return f"shape {tuple(tensor.shape)}"
