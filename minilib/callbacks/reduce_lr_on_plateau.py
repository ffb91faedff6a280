"""ReduceLROnPlateau: lower the learning rate when a watched metric stops improving."""

import numpy as np

from minilib.callbacks.messages import print_message
from minilib.callbacks.monitor_callback import MonitorCallback


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` after `patience` epochs without improvement.

    When to use: when the loss goes down and then flattens out (a plateau).
    Smaller steps often let the optimizer go further down from there.

    Args:
        monitor: the metric to watch, a key of the epoch logs.
        factor: the new learning rate is `learning_rate * factor`; must be below 1.
        patience: how many epochs without improvement to wait before reducing.
        verbose: 1 prints a line each time the learning rate is reduced.
        mode: "min", "max", or "auto" (guess the direction from the metric's name).
        min_delta: a change smaller than this does not count as an improvement.
        cooldown: how many epochs to wait after a reduction before counting
            epochs without improvement again.
        min_lr: the learning rate never goes below this.

    The optimizer needs a float learning rate (not a `LearningRateSchedule`).
    A missing `monitor` raises a ValueError (see `MonitorCallback`).
    Each epoch's rate is added to its logs as `"learning_rate"`, so `History` keeps it.

    In `fit`, pass it as `callbacks=[reduce_lr]`. Here the epochs' losses are made up,
    and the hook is called by hand as `fit` would call it, to show what it does:

    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer=minilib.optimizers.SGD(learning_rate=0.4), loss="mse")
    >>> reduce_lr = minilib.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5,
    ...                                                 patience=2, min_lr=0.1)
    >>> reduce_lr.set_model(model)
    >>> reduce_lr.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]):
    ...     logs = {"loss": loss}
    ...     reduce_lr.on_epoch_end(epoch, logs)
    ...     print(epoch, loss, round(logs["learning_rate"], 3))
    0 1.0 0.4
    1 0.5 0.4
    2 0.5 0.4
    3 0.5 0.4
    4 0.5 0.2
    5 0.5 0.2
    6 0.5 0.1
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau reduces the learning rate, so factor must be "
                             f"below 1. Received: factor={factor}")
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.min_lr = min_lr
        self.wait = 0
        self.cooldown_counter = 0

    def on_train_begin(self, logs=None):
        self._reset_monitor_check()
        self.best = None
        self.wait = 0
        self.cooldown_counter = 0

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs
        # Record the learning rate this epoch used, so that History shows it.
        logs["learning_rate"] = float(self.model.optimizer.learning_rate)
        current = self.get_monitor_value(logs)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0

        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce_learning_rate(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def on_train_end(self, logs=None):
        self._check_monitor_was_seen()

    def in_cooldown(self):
        """Whether we are still waiting after the last reduction."""
        return self.cooldown_counter > 0

    def _reduce_learning_rate(self, epoch):
        """Lower the learning rate; False if it was already at `min_lr`."""
        optimizer = self.model.optimizer
        old_lr = float(optimizer.learning_rate)
        # The optimizer keeps the rate in float32, so min_lr may read back a bit above itself.
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            print_message(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate "
                          f"to {new_lr}.")
        return True
