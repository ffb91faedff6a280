"""Small models and data shared by the viz tests."""

import matplotlib

import minilib as keras

matplotlib.use("Agg")


def moons_model(seed=0):
    """A small two_moons classifier, compiled, and its data."""
    keras.utils.set_random_seed(seed)
    x, y = keras.datasets.two_moons(n_samples=200, noise=0.15, seed=seed)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation="tanh"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(0.2), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model, x, y
