"""CSVLogger: write the metrics of every epoch as one row of a CSV file."""

import csv
import os

from minilib.callbacks.callback import Callback
from minilib.distribution.process_group import is_main_process


class CSVLogger(Callback):
    """Appends one row per epoch to a CSV file: the epoch (from 0) and each metric.

    When to use: to keep a record of a run that survives the notebook, or to
    follow a long run from another program. Each row is written and flushed
    when its epoch ends, so the file is complete up to the last finished epoch
    even if training crashes.

    The columns are fixed by the first epoch. If that epoch has no `val_...`
    metrics, `val_` columns are added anyway (filled with "NA"), in case later
    epochs run validation. With `append=True` and an existing file, the
    columns are read from its header, so a resumed run lines up with it.

    Under `minilib.distribution.DataParallel` only process 0 writes the file.

    Args:
        filename: the CSV file to write.
        separator: the character between columns.
        append: add to an existing file (to resume training) instead of
            starting a new one.

    Example:

    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(x, 3 * x, epochs=2, validation_split=0.25, verbose=0,
    ...                     callbacks=[minilib.callbacks.CSVLogger("training.csv")])
    >>> print(open("training.csv").read())
    epoch,loss,val_loss
    0,...,...
    1,...,...
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename = os.fspath(filename)
        self.sep = separator
        self.append = append
        self.keys = None

    def on_train_begin(self, logs=None):
        self.keys = None
        if not is_main_process():
            return
        if self.append and _has_content(self.filename):
            with open(self.filename, newline="") as file:
                header = next(csv.reader(file, delimiter=self.sep))
            self.keys = header[1:]  # the first column is "epoch"
        else:
            open(self.filename, "w").close()  # start an empty file

    def on_epoch_end(self, epoch, logs=None):
        if not is_main_process():
            return
        logs = logs or {}
        rows = []
        if self.keys is None:
            self.keys = list(logs)
            if not any(key.startswith("val_") for key in self.keys):
                # The learning rate is not a metric: validation never has its own.
                self.keys += [f"val_{key}" for key in self.keys if key != "learning_rate"]
            rows.append(["epoch", *self.keys])
        rows.append([epoch, *(logs.get(key, "NA") for key in self.keys)])
        # Open, write and close for every epoch: the rows are on disk at once, and no
        # file stays open if training is interrupted.
        with open(self.filename, "a", newline="") as file:
            csv.writer(file, delimiter=self.sep).writerows(rows)


def _has_content(filename):
    return os.path.exists(filename) and os.path.getsize(filename) > 0
