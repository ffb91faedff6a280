import json
import os
import re
import subprocess
import sys

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


def table_rows(lines):
    """The cells of each layer row of a minilib summary table."""
    text = "\n".join(lines).splitlines()
    first, last = [i for i, line in enumerate(text) if line.startswith("=")][:2]
    return [re.split(r"\s{2,}", line.strip()) for line in text[first + 1:last]]


def test_summary_of_an_unbuilt_model_shows_question_marks_and_unbuilt_params():
    model = minilib.Sequential([layers.Dense(4, name="hidden"), layers.Dense(2, name="out")])
    lines = summary_lines(model)
    assert table_rows(lines) == [["hidden (Dense)", "?", "0 (unbuilt)"],
                                 ["out (Dense)", "?", "0 (unbuilt)"]]
    assert " Total params: 0 (0.00 B)" in lines
    model.build((None, 3))
    assert table_rows(summary_lines(model)) == [["hidden (Dense)", "(None, 4)", "16"],
                                                ["out (Dense)", "(None, 2)", "10"]]


KERAS_SUMMARIES = """
import json, keras
def rows(model):
    lines = []
    model.summary(print_fn=lambda text, line_break=False: lines.append(text))
    text = "\\n".join(lines).splitlines()
    cells = [[c.strip() for c in line.split("\u2502")[1:-1]] for line in text
             if line.startswith("\u2502")]
    return {"rows": cells, "totals": [line.strip() for line in text if "params:" in line]}
def make():
    return keras.Sequential([keras.layers.Dense(4, name="hidden"),
                             keras.layers.Dense(2, name="out")], name="seq")
unbuilt, built = make(), make()
built.build((None, 3))
print(json.dumps({"unbuilt": rows(unbuilt), "built": rows(built),
                  "shapes": [list(built.input_shape), list(built.output_shape)]}))
"""


@pytest.mark.slow
def test_unbuilt_and_built_summaries_match_real_keras():
    environment = {**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, "-c", KERAS_SUMMARIES], env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    keras_side = json.loads(result.stdout.strip().splitlines()[-1])

    def minilib_side(model):
        lines = summary_lines(model)
        return {"rows": table_rows(lines),
                "totals": [line.strip() for line in lines if "params:" in line]}

    def make():
        return minilib.Sequential([layers.Dense(4, name="hidden"), layers.Dense(2, name="out")],
                                  name="seq")

    unbuilt, built = make(), make()
    built.build((None, 3))
    assert minilib_side(unbuilt) == keras_side["unbuilt"]
    assert minilib_side(built) == keras_side["built"]
    assert [list(built.input_shape), list(built.output_shape)] == keras_side["shapes"]


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


def test_trainable_column_fits_its_header_and_marks_weightless_layers_with_a_dash():
    inner = minilib.Sequential([minilib.Input((4,)), layers.Dense(3)], name="inner")
    inner.trainable = False
    inputs = minilib.Input(shape=(4,), name="x")
    model = minilib.Model(inputs, layers.Dense(1, name="head")(inner(inputs)))
    lines = summary_lines(model, show_trainable=True)
    assert "Trainable" in lines[2] and "Trainabl" not in lines[3]
    rows = table_rows(lines)
    assert [row[0] for row in rows] == ["x (InputLayer)", "inner (Sequential)", "head (Dense)"]
    assert [row[-1] for row in rows] == ["-", "N", "Y"]
