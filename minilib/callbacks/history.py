"""History: records the metrics of every epoch; `fit` returns it."""

from minilib.callbacks.callback import Callback


class History(Callback):
    """Keeps the `logs` of every epoch, one list per metric.

    When to use: you don't add it yourself; `fit` always adds one and returns
    it. Use the result to plot learning curves.

    Attributes:
        history: dict from metric name to the list of its values, one per epoch.
        epoch: the indices of the recorded epochs (counting from 0).
        params: the training parameters (`verbose`, `epochs`, `steps`).

    Example:

    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(x, 3 * x, epochs=3, validation_split=0.25, verbose=0)
    >>> history.epoch
    [0, 1, 2]
    >>> sorted(history.history), len(history.history["val_loss"])  # one value per epoch
    (['loss', 'val_loss'], 3)
    >>> history.params
    {'verbose': 0, 'epochs': 3, 'steps': 1}
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
