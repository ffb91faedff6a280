"""Playground: TensorFlow Playground in a notebook, on a real minilib model.

This file holds the Playground's state: its settings, its model, and training.
The rest has a file each: `playground_data.py` (the points and their features),
`playground_settings.py` (the allowed values), `playground_figure.py` (the
pictures) and `playground_controls.py` (the buttons and menus).
"""

import time

import numpy as np

from minilib import initializers, losses, optimizers, regularizers
from minilib.layers import Dense, Input
from minilib.models import Model, Sequential
from minilib.viz.display import Widget
from minilib.viz.playground_controls import playground_controls
from minilib.viz.playground_data import DATA_RADIUS, feature_matrix, playground_dataset
from minilib.viz.playground_figure import playground_figure
from minilib.viz.playground_settings import check_settings

# A tick that arrives sooner than this after the previous one ended had queued up.
QUEUED_TICK_SECONDS = 0.05


class Playground(Widget):
    """A small classifier of 2-D points that you configure, train and watch.

    Pick a 2-D data set, the input features, the hidden layers, the activation,
    the learning rate and a regularizer, then press play and watch the network
    learn: the big picture is the decision boundary (the predicted probability of
    the blue class at every point of the plane), and each small picture is what
    one input feature or one hidden unit computes at every point of the plane.
    You see the first layer draw straight lines (or curves, with x1², sin x1, ...)
    and the next layers combine them into the boundary.

    Changing the data set, the features, the layers, the activation or the
    regularizer starts again with a new, untrained model (`model`); changing the
    learning rate keeps the model and only changes the size of its next steps.
    The losses shown are the crossentropy alone, without the regularizer's
    penalty, so that training and test losses can be compared.

    How "play" trains without blocking the kernel: the play button is an
    ipywidgets `Play`, a timer that runs in the browser. Every tick sends the
    kernel a message, and the kernel trains for `epochs_per_tick` epochs (a
    fraction of a second) and redraws. Between ticks the kernel is idle, so your
    other cells still run, and there is no second thread touching the model at
    the same time as your code. If the kernel falls behind, the ticks that queued
    up meanwhile are dropped instead of being trained one after the other.

    Args:
        dataset: "circles", "two_moons", "spirals" or "blobs" (two classes each,
            scaled into the square [-3, 3]^2).
        features: names from `FEATURES`: "x1", "x2", "x1^2", "x2^2", "x1*x2",
            "sin(x1)", "sin(x2)".
        hidden_layers: the number of units of each hidden Dense layer, e.g. `[4, 2]`.
        activation: of the hidden layers: "tanh", "relu", "sigmoid" or "linear".
        learning_rate: of the SGD optimizer.
        regularization: None, "L1" or "L2", applied to every kernel.
        regularization_rate: the regularizer's factor.
        n_samples, test_fraction: how many points, and the share kept for testing.
        batch_size: points per training step; epochs_per_tick: epochs per "play" tick.
        resolution: the pictures are computed on a `resolution x resolution` grid.
        seed: the same seed gives the same data, and the same starting weights
            for the first model and for each new one after it.

    The controls show the settings as they were when the widget was displayed;
    after changing settings with `set`, display it again to see them.

    Attributes:
        model: the current minilib model (Sequential, sigmoid output).
        epoch: the epochs trained since the model was made.
        history: `{"epoch": [...], "loss": [...], "test_loss": [...]}`, one
            entry per `step` (and one for the untrained model).
        grid: the `(resolution * resolution, 2)` points the pictures are computed on.

    Example (in a notebook, `playground.show()` gives the controls and the play button):

    >>> playground = minilib.viz.Playground(dataset="spirals", hidden_layers=[8, 8],
    ...                                     n_samples=100, resolution=10)
    >>> [layer.name for layer in playground.model.layers]
    ['hidden_1', 'hidden_2', 'output']
    >>> playground.step(epochs=2)                 # train from code
    >>> playground.history["epoch"], playground.boundary().shape
    ([0, 2], (10, 10))
    >>> playground.set(features=["x1", "x2", "sin(x1)", "sin(x2)"])   # a fresh model
    >>> playground.epoch, playground.feature_images().shape
    (0, (4, 10, 10))
    """

    settings_names = ("dataset", "features", "hidden_layers", "activation", "learning_rate",
                      "regularization", "regularization_rate")

    def __init__(self, dataset="circles", features=("x1", "x2"), hidden_layers=(4, 4),
                 activation="tanh", learning_rate=0.1, regularization=None,
                 regularization_rate=0.0, n_samples=400, test_fraction=0.5, batch_size=10,
                 epochs_per_tick=5, resolution=40, seed=0):
        self.n_samples, self.test_fraction = n_samples, test_fraction
        self.batch_size, self.epochs_per_tick = batch_size, epochs_per_tick
        self.seed = seed
        self._weight_seeds = np.random.default_rng(seed)  # each new model starts elsewhere
        axis = np.linspace(-DATA_RADIUS * 1.1, DATA_RADIUS * 1.1, resolution, dtype="float32")
        self.grid_axis = axis
        self.grid = np.stack([g.ravel() for g in np.meshgrid(axis, axis)], axis=1)
        self._last_tick_end = 0.0
        self.set(dataset=dataset, features=features, hidden_layers=hidden_layers,
                 activation=activation, learning_rate=learning_rate,
                 regularization=regularization, regularization_rate=regularization_rate)

    # ----- state ---------------------------------------------------------------------------

    def set(self, **changes):
        """Change settings, by the constructor's names: `set(activation="relu")`.

        Any change but the learning rate makes a new, untrained model.
        """
        unknown = sorted(set(changes) - set(self.settings_names))
        if unknown:
            raise ValueError(f"Playground.set: unknown setting(s) {unknown}; the settings are "
                             f"{list(self.settings_names)}.")
        old = {name: getattr(self, name, None) for name in self.settings_names}
        new = {**old, **changes}
        new["features"] = list(new["features"])
        new["hidden_layers"] = [int(units) for units in new["hidden_layers"]]
        check_settings(new)
        for name, value in new.items():
            setattr(self, name, value)
        if new["dataset"] != old["dataset"]:
            x, y = playground_dataset(new["dataset"], self.n_samples, self.seed)
            split = int(round(len(x) * (1 - self.test_fraction)))
            self.x_train, self.y_train, self.x_test, self.y_test = (x[:split], y[:split],
                                                                    x[split:], y[split:])
        if any(new[name] != old[name] for name in self.settings_names if name != "learning_rate"):
            self.reset()
        else:
            self.model.optimizer.learning_rate = new["learning_rate"]
            self.refresh()

    def reset(self):
        """Start again from a new, untrained model with the current settings."""
        self.model = self.build_model()
        self._hidden_model = Model(self.model.inputs, [layer.output for layer in self.hidden]) \
            if self.hidden else None
        self.epoch = 0
        self.history = {"epoch": [], "loss": [], "test_loss": []}
        self._record_losses()
        self.refresh()

    def build_model(self):
        """The model the settings describe: Dense hidden layers, then one sigmoid unit."""
        penalty = None
        if self.regularization is not None:
            penalty = getattr(regularizers, self.regularization)(self.regularization_rate)
        layers = [Input((len(self.features),))]
        sizes = [*self.hidden_layers, 1]
        for index, units in enumerate(sizes):
            last = index == len(sizes) - 1
            layers.append(Dense(
                units, activation="sigmoid" if last else self.activation,
                kernel_initializer=initializers.GlorotUniform(
                    seed=int(self._weight_seeds.integers(2**31))),
                kernel_regularizer=penalty,
                name="output" if last else f"hidden_{index + 1}"))
        model = Sequential(layers, name="playground")
        model.compile(optimizer=optimizers.SGD(self.learning_rate),
                      loss="binary_crossentropy")
        return model

    @property
    def hidden(self):
        """The hidden Dense layers of `model`."""
        return self.model.layers[:-1]

    # ----- training ------------------------------------------------------------------------

    def step(self, epochs=1):
        """Train for `epochs` epochs, record the losses and redraw."""
        self.model.fit(feature_matrix(self.x_train, self.features), self.y_train,
                       epochs=epochs, batch_size=self.batch_size, verbose=0)
        self.epoch += epochs
        self._record_losses()
        self.refresh()

    def loss(self, points, labels):
        """The crossentropy of the model's predictions for `points` (no penalty added)."""
        probabilities = self.model.predict(feature_matrix(points, self.features), verbose=0,
                                           batch_size=len(points))
        return float(losses.BinaryCrossentropy()(labels[:, None], probabilities))

    def _record_losses(self):
        self.history["epoch"].append(self.epoch)
        self.history["loss"].append(self.loss(self.x_train, self.y_train))
        self.history["test_loss"].append(self.loss(self.x_test, self.y_test))

    # ----- what the pictures show ----------------------------------------------------------

    def _on_grid(self, values):
        """`values` (one row per grid point) as one image per column: `(columns, rows, cols)`."""
        size = len(self.grid_axis)
        return values.T.reshape(-1, size, size)

    def boundary(self):
        """The predicted probability of class 1 at every grid point, as an image."""
        features = feature_matrix(self.grid, self.features)
        return self._on_grid(self.model.predict(features, verbose=0, batch_size=len(features)))[0]

    def feature_images(self):
        """Each chosen feature's value at every grid point: `(features, rows, cols)`."""
        return self._on_grid(feature_matrix(self.grid, self.features))

    def hidden_images(self):
        """For each hidden layer, its units' outputs on the grid: `(units, rows, cols)`."""
        if self._hidden_model is None:
            return []
        features = feature_matrix(self.grid, self.features)
        return [self._on_grid(values) for values in
                self._hidden_model.predict(features, verbose=0, batch_size=len(features))]

    # ----- the widget ----------------------------------------------------------------------

    def figure(self):
        """The matplotlib Figure: inputs, hidden units, the boundary and the losses."""
        return playground_figure(self)

    def controls(self):
        """The buttons, sliders and menus shown above the figure."""
        return playground_controls(self)

    # The clock that tells queued-up ticks apart (tests replace it with one they control).
    _clock = staticmethod(time.monotonic)

    def _tick(self):
        # Ticks that queued up while the kernel was busy arrive back to back: skip them.
        if self._clock() - self._last_tick_end < QUEUED_TICK_SECONDS:
            return
        self.step(self.epochs_per_tick)
        self._last_tick_end = self._clock()
