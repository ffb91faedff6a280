"""A tiny real model for tests that need a model but no training (callbacks, saving)."""

import numpy as np

import minilib
from minilib.optimizers import SGD


def set_all_weights(model, value):
    """Pretend an epoch of training changed every weight to `value`."""
    model.set_weights([np.full(w.shape, value, dtype="float32") for w in model.get_weights()])


def first_weight(path):
    """The first kernel entry of the model or weights saved at `path`."""
    path = str(path)
    if path.endswith(".weights.h5"):
        model = make_model()
        model.load_weights(path)
    else:
        model = minilib.models.load_model(path)
    return float(model.get_weights()[0][0, 0])


def make_model():
    model = minilib.Sequential([minilib.Input(shape=(2,)), minilib.layers.Dense(2)])
    model.compile(optimizer=SGD(learning_rate=0.1), loss="mse")
    return model
