"""ProgbarLogger: the progress bar and metric lines that `fit`, `evaluate` and `predict` print."""

import sys
import time

from tqdm.auto import tqdm

from minilib.callbacks.callback import Callback
from minilib.callbacks.messages import format_logs, print_message
from minilib.distribution.process_group import is_main_process


class ProgbarLogger(Callback):
    """Shows training progress on stdout, as chosen by the `verbose` argument of `fit`.

    * `verbose=1`: one progress bar per epoch, titled `Epoch 3/10`, with the
      running loss and metrics; when the epoch ends the bar keeps its final
      line, which adds the validation metrics. In Jupyter the bar is a
      notebook widget, in a terminal a line of text (both drawn by `tqdm`).
    * `verbose=2`: one line of text per epoch, when it ends.
    * `verbose=0`: nothing.

    Under `minilib.distribution.DataParallel` only process 0 draws the bar.

    `evaluate` and `predict` show one bar (or line) in the same way. The
    validation inside `fit` shows no bar of its own: its results appear at the
    end of the epoch as `val_loss`, `val_accuracy`, ...

    When to use: you don't add it yourself; `fit`, `evaluate` and `predict`
    add one unless `verbose=0`.

    Example of the `verbose=2` output (the numbers vary, hence the `...`):

    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(x, 3 * x, epochs=2, batch_size=8, validation_split=0.25,
    ...                     verbose=2)
    Epoch 1/2 - 3 steps in ...s - loss: ... - val_loss: ...
    Epoch 2/2 - 3 steps in ...s - loss: ... - val_loss: ...
    """

    def __init__(self):
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self.steps = None
        self._inside_fit = False
        self._title = ""
        self._steps_seen = 0
        self._start_time = 0.0
        self._bar = None

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs") or 1
        self.steps = params.get("steps")

    @property
    def wants_batch_logs(self):
        # Only the live bar shows per-batch metrics; verbose=2 prints at epoch end only.
        return self.verbose == 1

    # ----- fit -----------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._inside_fit = True

    def on_train_end(self, logs=None):
        self._inside_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._start(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._advance(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finish(logs)
        if self.steps is None:
            # Now we know how many steps an epoch has: the next bars can show it.
            self.steps = self._steps_seen

    # ----- evaluate (silent when it is fit's validation) -------------------------------------

    def on_test_begin(self, logs=None):
        if not self._inside_fit:
            self._start("Evaluate")

    def on_test_batch_end(self, batch, logs=None):
        if not self._inside_fit:
            self._advance(batch, logs)

    def on_test_end(self, logs=None):
        if not self._inside_fit:
            self._finish(logs)

    # ----- predict -------------------------------------------------------------------------

    def on_predict_begin(self, logs=None):
        self._start("Predict")

    def on_predict_batch_end(self, batch, logs=None):
        self._advance(batch, None)  # predict's logs hold outputs, not metrics to show

    def on_predict_end(self, logs=None):
        self._finish(None)

    # ----- drawing -------------------------------------------------------------------------

    def _start(self, title):
        self._title = title
        self._steps_seen = 0
        self._start_time = time.perf_counter()
        if self.verbose == 1 and is_main_process():
            self._bar = tqdm(total=self.steps, desc=title, unit="step", file=sys.stdout)

    def _advance(self, batch, logs):
        self._steps_seen = batch + 1
        if self._bar is not None:
            if logs:
                self._bar.set_postfix_str(format_logs(logs), refresh=False)
            self._bar.update(self._steps_seen - self._bar.n)

    def _finish(self, logs):
        seconds = time.perf_counter() - self._start_time
        if self._bar is not None:
            if logs:
                self._bar.set_postfix_str(format_logs(logs), refresh=False)  # close() draws
            self._bar.close()
            self._bar = None
        elif self.verbose == 2:
            steps = f"{self._steps_seen} step{'' if self._steps_seen == 1 else 's'}"
            line = f"{self._title} - {steps} in {seconds:.1f}s"
            print_message(f"{line} - {format_logs(logs)}" if logs else line)
