import pytest

import minilib
from minilib import layers


def summary_lines(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return lines


def test_sequential_summary_lists_shapes_params_and_totals():
    model = minilib.Sequential([minilib.Input(shape=(784,)), layers.Dense(64, name="h"),
                                layers.Dense(10, name="o")], name="mnist")
    text = "\n".join(summary_lines(model))
    assert 'Model: "mnist"' in text
    assert "h (Dense)" in text and "(None, 64)" in text and "50,240" in text
    assert "o (Dense)" in text and "(None, 10)" in text and "650" in text
    assert "Total params: 50,890 (198.79 KB)" in text
    assert "Trainable params: 50,890" in text and "Non-trainable params: 0 (0.00 B)" in text
    assert "Connected to" not in text


def test_graph_summary_shows_connections():
    a, b = minilib.Input(shape=(3,), name="a"), minilib.Input(shape=(3,), name="b")
    model = minilib.Model([a, b], layers.Add(name="plus")([a, b]))
    text = "\n".join(summary_lines(model))
    assert "Connected to" in text
    assert "a[0][0], b[0][0]" in text


def test_frozen_layers_count_as_non_trainable():
    model = minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(2), layers.Dense(1)])
    model.layers[0].trainable = False
    text = "\n".join(summary_lines(model, show_trainable=True))
    assert "Trainable params: 3 " in text and "Non-trainable params: 8 " in text


def test_summary_of_unbuilt_model_explains():
    with pytest.raises(ValueError, match="not been built yet"):
        minilib.Sequential([layers.Dense(2)]).summary()


def test_a_long_name_wraps_inside_its_column_and_keeps_the_others_aligned():
    model = minilib.Sequential([minilib.Input(shape=(3,)),
                                layers.Dense(2, name="a_rather_long_dense_layer_name")])
    text = "\n".join(summary_lines(model))
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if "a_rather_long_dense_layer_name" in line)
    header = next(line for line in lines if line.startswith(" Layer (type)"))
    assert lines[first + 1].strip() == "(Dense)"
    assert lines[first].index("(None, 2)") == header.index("Output Shape")
    assert lines[first].endswith("8") and len(lines[first]) == len(header)  # right-aligned
