"""History: records the metrics of every epoch; `fit` returns it."""

from minilib.callbacks.callback import Callback


class History(Callback):
    """Keeps the `logs` of every epoch, one list per metric.

    When to use: you don't add it yourself; `fit` always adds one and returns
    it. Use the result to plot learning curves.

    Example::

        history = model.fit(x, y, epochs=3, validation_split=0.2)
        history.history["loss"]      # [0.9, 0.5, 0.3], one value per epoch
        history.history["val_loss"]  # [1.0, 0.6, 0.4]
        history.epoch                # [0, 1, 2]

    Attributes:
        history: dict from metric name to the list of its values, one per epoch.
        epoch: the indices of the recorded epochs (counting from 0).
        params: the training parameters (`verbose`, `epochs`, `steps`).
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
