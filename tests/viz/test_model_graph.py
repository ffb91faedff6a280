"""ModelGraph and plot_model draw minilib's recorded graph: boxes, arrows, shapes, params."""

import shutil

import pytest

import minilib as keras
from minilib.utils.plot_model import plot_model
from minilib.viz import ModelGraph


def two_inputs_shared_layer_two_outputs():
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = keras.layers.Dense(3, name="shared")
    hidden_a, hidden_b = shared(a), shared(b)
    merged = keras.layers.Concatenate(name="merged")([hidden_a, hidden_b])
    first = keras.layers.Dense(1, name="first")(merged)
    second = keras.layers.Dense(2, name="second")(hidden_b)
    return keras.Model([a, b], [first, second])


def test_nodes_edges_and_depths_follow_the_recorded_calls():
    graph = ModelGraph(two_inputs_shared_layer_two_outputs())
    names = [(node.layer.name, node.call, node.calls) for node in graph.nodes]
    assert names == [("a", 0, 1), ("b", 0, 1), ("shared", 0, 2), ("shared", 1, 2),
                     ("merged", 0, 1), ("first", 0, 1), ("second", 0, 1)]
    assert graph.edges == [(0, 2), (1, 3), (2, 4), (3, 4), (4, 5), (3, 6)]
    assert [node.depth for node in graph.nodes] == [0, 0, 1, 1, 2, 3, 2]
    assert graph.nodes[4].output_shapes == [(None, 6)]


def test_figure_has_one_box_per_call_with_its_shape_and_params():
    model = two_inputs_shared_layer_two_outputs()
    axes = ModelGraph(model).figure().axes[0]
    boxes = [text.get_text() for text in axes.texts if text.get_text()]  # arrows have no text
    assert len(boxes) == 7
    assert "shared (Dense)\nshared: call 2/2\noutput: (None, 3)\nparams: 15" in boxes
    assert "first (Dense)\noutput: (None, 1)\nparams: 7" in boxes
    assert sum(1 for text in axes.texts if not text.get_text()) == 6  # one arrow per edge


def test_sequential_and_left_to_right_layout():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, name="h"),
                              keras.layers.Dense(1, name="out")])
    graph = ModelGraph(model, rankdir="LR", show_params=False)
    assert [node.layer.name for node in graph.nodes][1:] == ["h", "out"]
    assert graph.edges == [(0, 1), (1, 2)]
    assert [graph._xy(node.position) for node in graph.nodes] == [(0, 0), (1, 0), (2, 0)]


def test_selecting_a_layer_highlights_it_and_shows_its_weights():
    model = two_inputs_shared_layer_two_outputs()
    graph = ModelGraph(model)
    view = graph.widget
    view.children[0].value = "second"
    assert graph.selected is model.get_layer("second")
    assert graph._weights.layer is model.get_layer("second")
    boxes = [text for text in graph.figure().axes[0].texts if text.get_text()]
    highlighted = [box.get_text().split(" ")[0] for box in boxes
                   if box.get_bbox_patch().get_edgecolor()[:3] == (1.0, 0.0, 0.0)]
    assert highlighted == ["second"]


def test_a_model_without_a_recorded_graph_is_refused():
    with pytest.raises(ValueError, match="no recorded graph"):
        ModelGraph(keras.Sequential([keras.layers.Dense(2)]))


def test_dot_source_names_every_box_and_arrow():
    dot = ModelGraph(two_inputs_shared_layer_two_outputs(), show_params=False).to_dot()
    assert 'n4 [label="merged (Concatenate)\\noutput: (None, 6)"' in dot
    assert "n3 -> n6;" in dot and dot.count("->") == 6


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plot_model_with_matplotlib_writes_the_file(tmp_path, suffix):
    path = tmp_path / f"model.{suffix}"
    plot_model(two_inputs_shared_layer_two_outputs(), to_file=path, show_shapes=True,
               engine="matplotlib")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"merged (Concatenate)" in data


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_plot_model_with_graphviz_writes_the_file(tmp_path):
    path = tmp_path / "model.svg"
    shown = plot_model(two_inputs_shared_layer_two_outputs(), to_file=path, engine="graphviz")
    assert "merged (Concatenate)" in path.read_text() and shown is not None
