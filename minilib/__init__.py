"""minilib: a small deep learning library on PyTorch, with Keras's names.

    import minilib as keras

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)
"""

import importlib

from minilib import (
    activations,
    backend,
    callbacks,
    config,
    constraints,
    datasets,
    distribution,
    initializers,
    layers,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    preprocessing,
    random,
    regularizers,
    utils,
)
from minilib._version import __version__ as __version__  # re-exported
from minilib.backend.variable import Variable
from minilib.graph.keras_tensor import KerasTensor
from minilib.layers import Input, InputSpec, Layer
from minilib.models import Model, Sequential


def __getattr__(name):
    # saving needs h5py, viz matplotlib and ipywidgets, wrappers scikit-learn, all slow
    # to import: they load on first use.
    if name in ("saving", "viz", "wrappers", "applications"):
        return importlib.import_module(f"minilib.{name}")
    raise AttributeError(f"module 'minilib' has no attribute {name!r}")

__all__ = [
    "Input", "InputSpec", "KerasTensor", "Layer", "Model", "Sequential", "Variable",
    "activations", "applications", "backend", "callbacks", "config", "constraints", "datasets",
    "distribution", "initializers", "layers", "losses", "metrics", "models", "ops", "optimizers",
    "preprocessing", "random", "regularizers", "saving", "utils", "viz", "wrappers",
]
