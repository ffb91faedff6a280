"""ProgbarLogger: what verbose=0, 1 and 2 print, in a terminal and in a notebook."""

import pathlib
import re
import textwrap
import time

import pytest

from minilib.callbacks import CallbackList

EPOCH_LOGS = {"loss": 0.5, "val_loss": 0.25, "learning_rate": 0.0001}


def fake_fit(verbose, epochs=2, steps=3, validation=True):
    """Call the hooks in the order fit calls them, with a ProgbarLogger added as fit does."""
    callbacks = CallbackList(add_progbar=True, verbose=verbose, epochs=epochs, steps=steps)
    callbacks.on_train_begin()
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        for batch in range(3):
            callbacks.on_train_batch_begin(batch)
            batch_logs = {"loss": 1.0 / (batch + 1)} if callbacks.wants_batch_logs else None
            callbacks.on_train_batch_end(batch, batch_logs)
        if validation:
            callbacks.on_test_begin()
            callbacks.on_test_batch_end(0, {"loss": 0.25})
            callbacks.on_test_end({"loss": 0.25})
        callbacks.on_epoch_end(epoch, dict(EPOCH_LOGS))
    callbacks.on_train_end()


def final_lines(output):
    """What a terminal shows in the end: the last redraw of each `\\r`-updated line."""
    # (Not str.splitlines: it also splits at "\r".)
    return [line.split("\r")[-1] for line in output.split("\n") if line]


def test_verbose_1_draws_one_bar_per_epoch_on_stdout(capsys):
    fake_fit(verbose=1)
    out, err = capsys.readouterr()
    assert err == ""
    lines = final_lines(out)
    assert len(lines) == 2
    for number, line in enumerate(lines, start=1):
        assert line.startswith(f"Epoch {number}/2: 100%")
        assert "3/3" in line
        assert line.endswith("loss: 0.5000 - val_loss: 0.2500 - learning_rate: 1.0000e-04]")
    assert "Evaluate" not in out  # validation inside fit has no bar of its own


def test_verbose_1_shows_the_running_loss_during_the_epoch(capsys):
    callbacks = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=3)
    callbacks.on_train_begin()
    callbacks.on_epoch_begin(0)
    callbacks.on_train_batch_end(0, {"loss": 1.0})
    time.sleep(0.15)  # tqdm redraws at most every 0.1 s
    callbacks.on_train_batch_end(1, {"loss": 0.75})
    drawn = capsys.readouterr().out.split("\r")[-1]
    callbacks.on_epoch_end(0, {"loss": 0.5})
    callbacks.on_train_end()
    assert "2/3" in drawn and drawn.endswith("loss: 0.7500]")


def test_verbose_1_with_unknown_steps_learns_them_after_the_first_epoch(capsys):
    fake_fit(verbose=1, steps=None)
    lines = final_lines(capsys.readouterr().out)
    assert "Epoch 1/2: 3step" in lines[0]
    assert "Epoch 2/2: 100%" in lines[1] and "3/3" in lines[1]


def test_verbose_2_prints_one_line_per_epoch(capsys):
    fake_fit(verbose=2)
    out, err = capsys.readouterr()
    assert err == ""
    pattern = (r"Epoch {}/2 - 3 steps in \d+\.\ds - "
               r"loss: 0\.5000 - val_loss: 0\.2500 - learning_rate: 1\.0000e-04")
    lines = out.splitlines()
    assert len(lines) == 2
    for number, line in enumerate(lines, start=1):
        assert re.fullmatch(pattern.format(number), line)


def test_verbose_0_prints_nothing(capsys):
    fake_fit(verbose=0)
    assert capsys.readouterr() == ("", "")


def test_evaluate_and_predict_have_their_own_bars(capsys):
    evaluate = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=2)
    evaluate.on_test_begin()
    for batch in range(2):
        evaluate.on_test_batch_end(batch, {"loss": 0.5})
    evaluate.on_test_end({"loss": 0.5, "accuracy": 1.0})
    predict = CallbackList(add_progbar=True, verbose=2, epochs=1, steps=1)
    predict.on_predict_begin()
    predict.on_predict_batch_end(0, {"outputs": [[1.0]]})
    predict.on_predict_end()
    out, err = capsys.readouterr()
    lines = final_lines(out)
    assert lines[0].startswith("Evaluate: 100%") and "2/2" in lines[0]
    assert lines[0].endswith("loss: 0.5000 - accuracy: 1.0000]")
    assert re.fullmatch(r"Predict - 1 step in \d+\.\ds", lines[1])
    assert err == ""


@pytest.mark.timeout(60)
def test_in_jupyter_the_bar_is_a_widget_and_nothing_goes_to_stderr():
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    code = textwrap.dedent(f"""
        from minilib.callbacks import CallbackList
        callbacks = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=3)
        callbacks.on_train_begin()
        callbacks.on_epoch_begin(0)
        for batch in range(3):
            callbacks.on_train_batch_end(batch, {{"loss": 0.5}})
        callbacks.on_epoch_end(0, {EPOCH_LOGS!r})
        callbacks.on_train_end()
    """)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    repository_root = pathlib.Path(__file__).parents[2]  # so the kernel imports this minilib
    nbclient.NotebookClient(notebook, timeout=50, kernel_name="python3",
                            resources={"metadata": {"path": str(repository_root)}}).execute()
    outputs = notebook.cells[0].outputs
    assert not [o for o in outputs if o.get("name") == "stderr"]
    widget_type = "application/vnd.jupyter.widget-view+json"
    widgets = [o for o in outputs if widget_type in o.get("data", {})]
    assert len(widgets) == 1
    # The bar's final look is in the widget state that nbclient stores in the notebook.
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = [model["state"] for model in state.values()]
    bars = [m for m in models if "max" in m]
    assert [(bar["value"], bar["max"], bar["bar_style"]) for bar in bars] == [(3, 3, "success")]
    texts = " ".join(str(m.get("value", "")) for m in models).replace("\u2007", " ")
    assert "Epoch 1/1: 100%" in texts and "val_loss: 0.2500" in texts
