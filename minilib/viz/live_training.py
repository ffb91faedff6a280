"""LiveTraining: the loss and metric curves, redrawn in place while `fit` runs."""

import math

from minilib.callbacks.callback import Callback
from minilib.viz.display import Widget, in_notebook, new_figure


class LiveTraining(Callback, Widget):
    """A callback that plots the training history as it is made.

    Watching the curves grow tells you early what the final numbers would tell you
    late: a training loss that falls while the validation loss rises is
    overfitting; a flat loss means the learning rate is too small (or the model
    cannot learn); a jagged one that shoots up means it is too large. The plot
    also marks where the learning rate changed (ReduceLROnPlateau,
    LearningRateScheduler) and where training stopped early (EarlyStopping).

    In a notebook the plot appears when training starts. Several `fit` calls with
    the same LiveTraining continue one plot; `reset()` starts a new one.

    Args:
        per_batch: also draw the running average of every training batch (a
            noisier, finer curve), not only one point per epoch.
        metrics: the names to plot (e.g. `["loss"]`); default all of them.
            Each name gets a panel with its training and validation curves.

    Attributes:
        history: `{name: [value per epoch]}`, like `History.history`
            (NaN for an epoch without validation).
        batch_history: `{name: [(x, value), ...]}` with per_batch=True, where
            x is a fraction of epochs (2.5 is half-way through the 3rd epoch).
        learning_rates: the learning rate used in each epoch.
        events: `[(x, text), ...]`: learning-rate changes and early stops.

    Example (in a notebook the plot would appear as `fit` starts):

    >>> model = minilib.Sequential([minilib.Input(shape=(4,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    >>> live = minilib.viz.LiveTraining()
    >>> history = model.fit(np.ones((8, 4)), np.zeros((8, 1)), validation_split=0.25,
    ...                     epochs=3, verbose=0, callbacks=[live])
    >>> live.epochs, live.panel_names()          # one panel per metric, val_ curve inside
    (3, ['loss', 'mae'])
    >>> sorted(live.history)
    ['loss', 'mae', 'val_loss', 'val_mae']
    >>> len(live.figure().axes)
    2
    """

    def __init__(self, per_batch=False, metrics=None):
        super().__init__()
        self.per_batch = per_batch
        self.metrics = metrics
        self.min_refresh_seconds = 0.5
        self.reset()

    def reset(self):
        """Forget everything plotted so far."""
        self.history = {}
        self.batch_history = {}
        self.learning_rates = []
        self.events = []
        self._epoch_batches = []

    @property
    def epochs(self):
        """How many epochs have been plotted."""
        return len(self.learning_rates)

    @property
    def wants_batch_logs(self):
        return self.per_batch

    # ----- hooks ---------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        if self._display_handle is None and in_notebook():
            self.show()

    def on_train_batch_begin(self, batch, logs=None):
        if batch != 0:
            return
        rate = float(self.model.optimizer.learning_rate)
        if self.learning_rates and not math.isclose(rate, self.learning_rates[-1]):
            self.events.append((self.epochs, f"lr {self.learning_rates[-1]:.3g} → {rate:.3g}"))
        self.learning_rates.append(rate)
        self._epoch_batches = []

    def on_train_batch_end(self, batch, logs=None):
        if not self.per_batch or not logs:
            return
        self._epoch_batches.append(logs)
        self.refresh()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        done = self.epochs - 1
        for name in [*self.history, *(n for n in logs if n not in self.history)]:
            values = self.history.setdefault(name, [math.nan] * done)
            values.append(float(logs.get(name, math.nan)))
        count = len(self._epoch_batches)
        for index, batch_logs in enumerate(self._epoch_batches):
            for name, value in batch_logs.items():
                self.batch_history.setdefault(name, []).append((done + (index + 1) / count,
                                                                float(value)))
        self.refresh()

    def on_train_end(self, logs=None):
        if self.model.stop_training and self.epochs:
            self.events.append((self.epochs, "stopped early"))
        self.refresh(force=True)
        self.update_display()

    # ----- drawing -------------------------------------------------------------------------

    def panel_names(self):
        """The metrics that get a panel: training names, whose `val_` twins join them."""
        names = [n for n in self.history if not n.startswith("val_")]
        names += [n[4:] for n in self.history if n.startswith("val_") and n[4:] not in names]
        return [n for n in names if self.metrics is None or n in self.metrics]

    def figure(self):
        names = self.panel_names()
        figure = new_figure(max(4.5 * len(names), 6), 3.4)
        if not names:
            axes = figure.subplots()
            axes.set_axis_off()
            axes.text(0.5, 0.5, "waiting for the first epoch...", ha="center", va="center")
            return figure
        epochs = range(1, self.epochs + 1)
        for axes, name in zip(figure.subplots(1, len(names), squeeze=False)[0], names,
                              strict=True):
            if name in self.batch_history:
                xs, ys = zip(*self.batch_history[name], strict=True)
                axes.plot(xs, ys, color="C0", alpha=0.35, label=f"{name} (per batch)")
            for key, color in ((name, "C0"), (f"val_{name}", "C1")):
                if key in self.history:
                    axes.plot(epochs, self.history[key], "o-", color=color, markersize=3,
                              label=key)
            for x, text in self.events:
                stop = text == "stopped early"
                axes.axvline(x, color="red" if stop else "gray", linestyle="--" if stop else ":")
                axes.annotate(text, (x, 1), xycoords=("data", "axes fraction"), rotation=90,
                              va="top", ha="right", fontsize=8)
            axes.set_title(name)
            axes.set_xlabel("epoch")
            axes.legend(fontsize=8)
        return figure
