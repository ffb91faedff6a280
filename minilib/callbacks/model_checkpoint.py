"""ModelCheckpoint: save the model (or just its weights) during training."""

import os

from minilib.callbacks.messages import print_message
from minilib.callbacks.monitor_callback import MonitorCallback
from minilib.distribution.process_group import is_main_process


class ModelCheckpoint(MonitorCallback):
    """Saves the model at the end of every epoch, or every few batches.

    When to use: to keep the best model of a long run, or to be able to
    resume training after a crash. Load the result with
    `minilib.saving.load_model(path)` (or `model.load_weights(path)` for a
    weights file).

    `filepath` may hold placeholders, filled in with `str.format`: `{epoch}`
    (counting from 1), `{batch}` (with `save_freq` in batches) and any key of
    the logs. `"ckpt-{epoch:02d}-{val_loss:.2f}.keras"` gives files such as
    `ckpt-03-0.41.keras`.

    Args:
        filepath: where to save; must end in `.keras` (or `.h5` for the legacy
            format), or in `.weights.h5` with `save_weights_only=True`. Missing
            folders are created.
        monitor: the metric that decides what "best" means.
        verbose: 1 prints a line every time the callback saves (or doesn't).
        save_best_only: save only when `monitor` improves on the best value so
            far. With a fixed `filepath` this keeps just the best model.
        save_weights_only: save only the weights (`model.save_weights`), not the
            whole model (`model.save`).
        mode: "min", "max", or "auto" (guess the direction from the metric's name).
        save_freq: "epoch" to save at the end of each epoch, or an integer N to
            save every N training batches.
        initial_value_threshold: with `save_best_only`, the value `monitor`
            must beat before the first save.

    A missing `monitor` (with `save_best_only`) raises a ValueError (see
    `MonitorCallback`). Under `minilib.distribution.DataParallel` only process 0
    writes the file (every process holds the same model).

    Example, one file per epoch:

    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> checkpoint = minilib.callbacks.ModelCheckpoint("ckpt-{epoch:02d}.keras")
    >>> history = model.fit(x, 3 * x, epochs=2, verbose=0, callbacks=[checkpoint])
    >>> import os; sorted(os.listdir())
    ['ckpt-01.keras', 'ckpt-02.keras']

    Example, keep only the model with the best validation loss in one file:

    >>> best = minilib.callbacks.ModelCheckpoint("best.keras", monitor="val_loss",
    ...                                          save_best_only=True)
    >>> history = model.fit(x, 3 * x, validation_split=0.25, epochs=3, verbose=0,
    ...                     callbacks=[best])
    >>> minilib.saving.load_model("best.keras").output_shape
    (None, 1)
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__(monitor, mode, baseline=initial_value_threshold)
        self.filepath = os.fspath(filepath)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._current_epoch = 0
        self._batches_since_last_save = 0
        _check_arguments(self.filepath, save_weights_only, save_freq, save_best_only, monitor)

    @property
    def wants_batch_logs(self):
        # Saving every N batches may need the batch's loss (for the file name or "best").
        return self.save_freq != "epoch"

    def on_train_begin(self, logs=None):
        self._reset_monitor_check()

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_last_save += 1
        if self._batches_since_last_save >= self.save_freq:
            self._batches_since_last_save = 0
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def on_train_end(self, logs=None):
        if self.save_best_only:
            self._check_monitor_was_seen()

    def _save(self, epoch, batch, logs):
        logs = logs or {}
        filepath = self._format_filepath(epoch, batch, logs)
        if self.save_best_only and not self._improved(epoch, logs, filepath):
            return
        if not is_main_process():
            return
        folder = os.path.dirname(filepath)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if self.verbose > 0 and not self.save_best_only:  # else _improved has said it
            print_message(f"Epoch {epoch + 1}: saved model to {filepath}")

    def _improved(self, epoch, logs, filepath):
        """Whether `monitor` beats the best value so far (and, if so, remember it as best)."""
        current = self.get_monitor_value(logs)
        if current is None:  # an epoch without validation: nothing to compare
            return False
        # Keras's wording: nothing yet is as bad as can be, -inf (or inf when lower is better)
        nothing_yet = float("-inf") if self._bigger_is_better() else float("inf")
        previous = f"{nothing_yet if self.best is None else self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_message(f"Epoch {epoch + 1}: {self.monitor} improved from {previous} "
                              f"to {current:.5f}, saving model to {filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            print_message(f"Epoch {epoch + 1}: {self.monitor} did not improve from {previous}")
        return False

    def _format_filepath(self, epoch, batch, logs):
        placeholders = dict(logs, epoch=epoch + 1)
        if batch is not None:
            placeholders["batch"] = batch + 1
        try:
            return self.filepath.format(**placeholders)
        except KeyError as error:
            available = ", ".join(placeholders)
            raise KeyError(f"ModelCheckpoint can't fill in {{{error.args[0]}}} in filepath "
                           f"{self.filepath!r}: there is no such key in the logs. Keys you "
                           f"can use: {available}.") from None


def _check_arguments(filepath, save_weights_only, save_freq, save_best_only, monitor):
    if save_weights_only and not filepath.endswith(".weights.h5"):
        raise ValueError(f"ModelCheckpoint(save_weights_only=True) saves a weights file, so "
                         f"filepath must end in '.weights.h5'. Received: filepath={filepath!r}")
    whole_model_file = filepath.endswith(".keras") or (
        filepath.endswith(".h5") and not filepath.endswith(".weights.h5"))
    if not save_weights_only and not whole_model_file:
        raise ValueError(f"ModelCheckpoint saves the whole model to a '.keras' file, so "
                         f"filepath must end in '.keras' (or '.h5' for the legacy format; or "
                         f"pass save_weights_only=True and a '.weights.h5' filepath). "
                         f"Received: filepath={filepath!r}")
    if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)
                                 or save_freq < 1):
        raise ValueError(f"ModelCheckpoint: save_freq must be 'epoch' or a positive number "
                         f"of batches. Received: save_freq={save_freq!r}")
    if save_best_only and save_freq != "epoch" and monitor.startswith("val_"):
        raise ValueError(f"ModelCheckpoint(save_freq={save_freq}) saves between batches, where "
                         f"there are no validation results yet, so monitor={monitor!r} can't "
                         f"decide what is best. Watch a training metric such as "
                         f"monitor='loss', or use save_freq='epoch'.")
