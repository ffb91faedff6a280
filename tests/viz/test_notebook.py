"""In a real kernel the widgets display without errors: a widget view plus a PNG fallback."""

import nbformat
import pytest

CELLS = [
    """import torch
import minilib as keras
from minilib import viz
x, y = keras.datasets.two_moons(n_samples=100, seed=0)
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="tanh"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])""",
    "weights = viz.WeightsViewer(model)\nweights.show()",
    "live = viz.LiveTraining()\nmodel.fit(x, y, epochs=2, verbose=0, callbacks=[live, weights]);",
    "viz.ModelGraph(model)",
    """a = torch.tensor(2.0, requires_grad=True)
with viz.ComputationGraph() as graph:
    c = torch.tanh(a * a)
c.backward()
graph""",
    """from minilib.utils.plot_model import plot_model
plot_model(model, to_file="model.png", engine="matplotlib")""",
]


@pytest.mark.slow
def test_widgets_render_in_a_kernel(tmp_path):
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [cell.outputs for cell in notebook.cells]
    for output in (o for cell in outputs for o in cell):
        assert output.output_type != "error", output
        assert output.get("name") != "stderr", output.text
    widget_cells = outputs[1:5]
    for cell in widget_cells:
        data = cell[-1]["data"]
        assert "application/vnd.jupyter.widget-view+json" in data and "image/png" in data
    assert "image/png" in outputs[5][-1]["data"]
