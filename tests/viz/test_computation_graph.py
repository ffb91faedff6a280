"""ComputationGraph walks grad_fn, shows each value's data and grad, and replays backward."""

import matplotlib
import pytest
import torch

from minilib.viz import ComputationGraph

matplotlib.use("Agg")


def neuron():
    x1, w1 = torch.tensor(2.0, requires_grad=True), torch.tensor(-3.0, requires_grad=True)
    x2, w2 = torch.tensor(0.0, requires_grad=True), torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(6.8813735870195432, requires_grad=True)
    with ComputationGraph() as graph:
        n = x1 * w1 + x2 * w2 + b
        o = torch.tanh(n)
    return graph, o, (x1, w1, x2, w2, b)


def by_label(graph):
    return {node["label"]: node for node in graph.nodes if node["label"]}


def test_structure_and_values_from_the_recorded_block():
    graph, o, _ = neuron()
    assert sorted(n["label"] for n in graph.nodes if n["kind"] == "op") == \
        ["add", "add", "mul", "mul", "tanh"]
    assert len(graph.edges) == 14
    values = by_label(graph)
    assert set(values) >= {"x1", "w1", "x2", "w2", "b", "n", "o"}
    assert values["o"]["tensor"] is o
    assert values["n"]["tensor"].item() == pytest.approx(0.8814, abs=1e-4)
    assert all(n["tensor"] is not None for n in graph.nodes if n["kind"] == "value")
    assert all(graph.nodes[a]["column"] < graph.nodes[b]["column"] for a, b in graph.edges)


def test_backward_grads_match_autograd_and_steps_reveal_them_in_order():
    graph, o, (x1, w1, x2, w2, b) = neuron()
    assert graph.backward_order == []
    o.backward()
    values = by_label(graph)
    for name, leaf in {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "b": b}.items():
        assert values[name]["grad"].item() == pytest.approx(leaf.grad.item())
    assert graph.backward_order[:2] == [0, graph.nodes.index(values["n"])]
    graph.step = 2
    assert list(graph.shown_grads()) == graph.backward_order[:2]
    boxes = [t.get_text() for t in graph.figure().axes[0].texts if "|" in t.get_text()]
    assert "o | data 0.7071 | grad 1.0000" in boxes and "x1 | data 2.0000 | grad ?" in boxes


def test_without_a_block_intermediate_values_are_unknown():
    x = torch.tensor(3.0, requires_grad=True)
    y = (x * x).exp()
    graph = ComputationGraph(y, names={"x": x, "y": y})
    labels = [n["label"] for n in graph.nodes if n["kind"] == "value"]
    assert labels == ["y", "?", "x"]  # x * x was not recorded
    y.backward()
    assert graph.nodes[-1]["grad"].item() == pytest.approx(x.grad.item())


def test_a_tensor_without_graph_is_refused():
    with pytest.raises(ValueError, match="no graph"):
        ComputationGraph(torch.tensor(1.0))
