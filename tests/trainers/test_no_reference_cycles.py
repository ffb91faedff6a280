"""`fit`, `evaluate` and `predict` free each batch when its step is done.

Python frees an object as soon as nothing refers to it, except objects in a reference cycle,
which wait for the garbage collector. A cycle made at every step (a nested function that
calls itself was one) keeps each batch's tensors alive for dozens of steps: memory grows, is
given back to the system in bulk and faulted in again, which made `fit` up to 10% slower than
a hand-written loop (bench/README.md). So these runs must leave no garbage at all.
"""

import gc
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np

import minilib
from minilib import layers
from minilib.utils import tree

SAMPLES = 24
HERE = Path(__file__).parent


def garbage_left_by(run):
    """The types of the objects that `run()` left in reference cycles, counted."""
    gc.collect()
    gc.disable()
    try:
        run()
        gc.set_debug(gc.DEBUG_SAVEALL)  # keep what the collector finds, to name it
        gc.collect()
        found = Counter(type(thing).__name__ for thing in gc.garbage)
    finally:
        gc.garbage.clear()
        gc.set_debug(0)
        gc.enable()
    return found


def small_model(kind):
    rng = np.random.default_rng(0)
    if kind == "dense":
        x = rng.standard_normal((SAMPLES, 8)).astype("float32")
        model = minilib.Sequential([minilib.Input((8,)), layers.Dense(4, activation="relu"),
                                    layers.Dropout(0.1), layers.Dense(3)])
    elif kind == "lstm":
        x = rng.standard_normal((SAMPLES, 5, 3)).astype("float32")
        model = minilib.Sequential([minilib.Input((5, 3)), layers.LSTM(4), layers.Dense(3)])
    elif kind == "conv":
        x = rng.standard_normal((SAMPLES, 8, 8, 1)).astype("float32")
        model = minilib.Sequential([minilib.Input((8, 8, 1)), layers.Conv2D(2, 3),
                                    layers.BatchNormalization(), layers.MaxPooling2D(),
                                    layers.Flatten(), layers.Dense(3)])
    else:  # two named inputs, given as a dict
        a, b = minilib.Input((8,), name="a"), minilib.Input((2,), name="b")
        joined = layers.Concatenate()([layers.Dense(4)(a), b])
        model = minilib.Model({"a": a, "b": b}, layers.Dense(3)(joined))
        x = {"a": rng.standard_normal((SAMPLES, 8)).astype("float32"),
             "b": rng.standard_normal((SAMPLES, 2)).astype("float32")}
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    y = rng.integers(0, 3, SAMPLES)
    model.fit(x, y, batch_size=8, verbose=0)  # builds everything that lives on
    return model, x, y


KINDS = ("dense", "lstm", "conv", "dict inputs")


def runs_garbage(kind):
    """The garbage that `fit`, `evaluate` and `predict` of a `kind` model leave."""
    model, x, y = small_model(kind)
    return {"fit": garbage_left_by(lambda: model.fit(x, y, batch_size=4, epochs=2, verbose=0,
                                                     validation_data=(x, y))),
            "evaluate": garbage_left_by(lambda: model.evaluate(x, y, batch_size=4, verbose=0)),
            "predict": garbage_left_by(lambda: model.predict(x, batch_size=4, verbose=0))}


def report():
    """Print, as JSON, the garbage each kind of model's runs leave, and that of rebuilding a
    structure with `tree`."""
    found = {kind: runs_garbage(kind) for kind in KINDS}
    leaves = [np.zeros(3), np.ones(3)]
    found["tree"] = garbage_left_by(lambda: tree.map_structure(lambda t: t + 1, {"a": leaves}))
    print(json.dumps(found))


def test_fit_evaluate_and_predict_leave_no_garbage():
    # In a fresh interpreter: there, all garbage is the runs' own. In the suite's process, an
    # earlier test's objects (torch.export's, held in a cache that a run evicts) may turn
    # into garbage during a run.
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import {Path(__file__).stem} as t; " \
           "t.report()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    nothing = {"fit": {}, "evaluate": {}, "predict": {}}
    assert json.loads(done.stdout.splitlines()[-1]) == {**{kind: nothing for kind in KINDS},
                                                       "tree": {}}
