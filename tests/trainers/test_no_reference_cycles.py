"""`fit`, `evaluate` and `predict` free each batch when its step is done.

Python frees an object as soon as nothing refers to it, except objects in a reference cycle,
which wait for the garbage collector. A cycle made at every step (a nested function that
calls itself was one) keeps each batch's tensors alive for dozens of steps: memory grows, is
given back to the system in bulk and faulted in again, which made `fit` up to 10% slower than
a hand-written loop (bench/README.md). So these runs must leave no garbage at all.
"""

import gc
from collections import Counter

import numpy as np
import pytest

import minilib
from minilib import layers
from minilib.utils import tree

SAMPLES = 24


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


@pytest.mark.parametrize("kind", ["dense", "lstm", "conv", "dict inputs"])
def test_fit_evaluate_and_predict_leave_no_garbage(kind):
    model, x, y = small_model(kind)
    assert garbage_left_by(lambda: model.fit(x, y, batch_size=4, epochs=2, verbose=0,
                                             validation_data=(x, y))) == Counter()
    assert garbage_left_by(lambda: model.evaluate(x, y, batch_size=4, verbose=0)) == Counter()
    assert garbage_left_by(lambda: model.predict(x, batch_size=4, verbose=0)) == Counter()


def test_rebuilding_a_structure_makes_no_cycle():
    leaves = [np.zeros(3), np.ones(3)]
    assert garbage_left_by(lambda: tree.map_structure(lambda t: t + 1, {"a": leaves})) \
        == Counter()
