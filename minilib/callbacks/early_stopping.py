"""EarlyStopping: stop training when a watched metric stops improving."""

from minilib.callbacks.messages import print_message
from minilib.callbacks.monitor_callback import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stops `fit` once `monitor` has not improved for `patience` epochs.

    When to use: to train "until it stops getting better" instead of guessing
    the number of epochs, and so to avoid overfitting. Watch a validation
    metric (the default "val_loss") and set `restore_best_weights=True` to
    end with the weights of the best epoch rather than the last one.

    Args:
        monitor: the metric to watch, a key of the epoch logs.
        min_delta: a change smaller than this does not count as an improvement.
        patience: how many epochs without improvement to wait before stopping.
        verbose: 1 prints a line when stopping and when restoring weights.
        mode: "min", "max", or "auto" (guess the direction from the metric's name).
        baseline: a value the metric must beat; training stops after `patience`
            epochs that don't beat it, even if they improve on each other.
        restore_best_weights: at the end of training, put back the weights of
            the epoch with the best `monitor` value.
        start_from_epoch: ignore the first epochs (warm-up), when the metric
            is still jumping around.

    A missing `monitor` raises a ValueError (see `MonitorCallback`).

    Example: with a learning rate of 0 nothing ever improves, so training stops
    after `patience` epochs that fail to beat the first one.

    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer=minilib.optimizers.SGD(learning_rate=0.0), loss="mse")
    >>> stop = minilib.callbacks.EarlyStopping(monitor="val_loss", patience=2,
    ...                                        restore_best_weights=True)
    >>> history = model.fit(x, 3 * x, validation_split=0.25, epochs=100, verbose=0,
    ...                     callbacks=[stop])
    >>> history.epoch, stop.stopped_epoch, stop.best_epoch   # epochs count from 0
    ([0, 1, 2], 2, 0)
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best_epoch = 0
        self.best_weights = None

    def on_train_begin(self, logs=None):
        # Start afresh, so that one callback can be used for several fit() calls.
        self._reset_monitor_check()
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_epoch = 0
        self.best_weights = None

    def on_epoch_end(self, epoch, logs=None):
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Until something beats them, the first weights we see are the best ones.
            self._remember_weights(epoch)

        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self._remember_weights(epoch)
            # Patience restarts only for a value that also beats the baseline.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return

        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        self._check_monitor_was_seen()
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_message(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_message(f"Restoring model weights from the end of the best epoch: "
                              f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def _remember_weights(self, epoch):
        self.best_weights = self.model.get_weights()  # copies, which training won't change
        self.best_epoch = epoch
