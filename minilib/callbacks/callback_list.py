"""CallbackList: calls one hook on every callback, in order."""

from minilib.callbacks.callback import Callback, overrides_hook
from minilib.callbacks.history import History
from minilib.callbacks.progbar_logger import ProgbarLogger

# The loop inside fit(), one line per step: (indent, description, hook called there).
# `describe()` prints it with the callbacks that run at each hook.
_FIT_LOOP = (
    (0, "fit starts", "on_train_begin"),
    (0, "for each epoch:", None),
    (1, "epoch starts", "on_epoch_begin"),
    (1, "for each batch of training data:", None),
    (2, "batch starts", "on_train_batch_begin"),
    (2, "(train step: forward pass, loss, gradients, weight update)", None),
    (2, "batch ends", "on_train_batch_end"),
    (2, "(if model.stop_training is True: skip the epoch's other batches)", None),
    (1, "if fit() was given validation data, evaluate on it:", None),
    (2, "validation starts", "on_test_begin"),
    (2, "for each batch of validation data:", None),
    (3, "batch starts", "on_test_batch_begin"),
    (3, "(test step: forward pass, loss, metrics)", None),
    (3, "batch ends", "on_test_batch_end"),
    (2, "validation ends", "on_test_end"),
    (1, "epoch ends", "on_epoch_end"),
    (1, "(if model.stop_training is True: end training)", None),
    (0, "fit ends", "on_train_end"),
)

# Keras 2 names that the base Callback calls from the Keras 3 hooks.
_ALIASES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


class CallbackList(Callback):
    """A list of callbacks that is called as one.

    The training loop talks to a single `CallbackList` instead of to each callback:
    `callbacks.on_epoch_end(epoch, logs)` calls `on_epoch_end(epoch, logs)` on
    every callback in the list, first to last. `describe()` prints the loop with
    the callbacks that act at each of its points.

    When to use: `fit`, `evaluate` and `predict` make one for you. Make your
    own only in a hand-written training loop, and call its hooks yourself.

    Args:
        callbacks: a list of `Callback` instances.
        add_history: add a `History` callback at the end, unless the list has one.
        add_progbar: add a `ProgbarLogger` at the end, unless the list has one.
        model: the model the callbacks work on.
        **params: the training parameters given to every callback: `verbose`,
            `epochs` and `steps` (batches per epoch, or None when unknown).

    Example, a hand-written loop whose loss (made up here) stops improving:

    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> stop = minilib.callbacks.EarlyStopping(monitor="loss")
    >>> callbacks = minilib.callbacks.CallbackList([stop], add_history=True, model=model,
    ...                                            verbose=0, epochs=10, steps=1)
    >>> model.stop_training = False   # a callback sets it to True to stop the loop
    >>> callbacks.on_train_begin()
    >>> for epoch, loss in enumerate([0.5, 0.6, 0.7]):
    ...     callbacks.on_epoch_begin(epoch)
    ...     # ... train on every batch here ...
    ...     callbacks.on_epoch_end(epoch, {"loss": loss})
    ...     if model.stop_training:
    ...         break
    >>> callbacks.on_train_end()
    >>> callbacks.history.history       # stopped after the first epoch that did not improve
    {'loss': [0.5, 0.6]}
    >>> print(callbacks.describe())     # which callback runs where
    What fit() does, and which callbacks run at each point:
    ...
        epoch ends ............................. on_epoch_end
            -> EarlyStopping, History
    ...
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        if isinstance(callbacks, Callback):
            callbacks = [callbacks]
        self.callbacks = list(callbacks or [])
        for callback in self.callbacks:
            _check_is_callback(callback)
        self._history = _first_of_type(self.callbacks, History)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if _first_of_type(self.callbacks, ProgbarLogger) is None and add_progbar:
            self.callbacks.append(ProgbarLogger())
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    @property
    def history(self):
        """The `History` callback in the list, or None."""
        return self._history

    @property
    def wants_batch_logs(self):
        """True when some callback reads per-batch logs (the loop skips building them if not)."""
        return any(callback.wants_batch_logs for callback in self.callbacks)

    def set_model(self, model):
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)

    def describe(self):
        """The steps of `fit`'s loop and, under each hook, the callbacks that act there.

        Callbacks are listed by class name, in the order they are called.
        """
        column = 44
        lines = ["What fit() does, and which callbacks run at each point:", ""]
        for indent, description, hook in _FIT_LOOP:
            padding = "    " * indent
            if hook is None:
                lines.append(padding + description)
                continue
            lines.append(f"{padding}{description} ".ljust(column, ".") + f" {hook}")
            names = [type(callback).__name__ for callback in self.callbacks
                     if _acts_at(callback, hook)]
            if names:
                lines.append(f"{padding}    -> {', '.join(names)}")
        return "\n".join(lines)

    # ----- dispatch: each hook calls the same hook on every callback -------------------------

    def _call_all(self, hook_name, *args):
        for callback in self.callbacks:
            getattr(callback, hook_name)(*args)

    def on_train_begin(self, logs=None):
        self._call_all("on_train_begin", _python_logs(logs))

    def on_train_end(self, logs=None):
        self._call_all("on_train_end", _python_logs(logs))

    def on_epoch_begin(self, epoch, logs=None):
        self._call_all("on_epoch_begin", epoch, _python_logs(logs))

    def on_epoch_end(self, epoch, logs=None):
        self._call_all("on_epoch_end", epoch, _python_logs(logs))

    def on_train_batch_begin(self, batch, logs=None):
        self._call_all("on_train_batch_begin", batch, _python_logs(logs))

    def on_train_batch_end(self, batch, logs=None):
        self._call_all("on_train_batch_end", batch, _python_logs(logs))

    def on_batch_begin(self, batch, logs=None):
        self._call_all("on_batch_begin", batch, _python_logs(logs))

    def on_batch_end(self, batch, logs=None):
        self._call_all("on_batch_end", batch, _python_logs(logs))

    def on_test_begin(self, logs=None):
        self._call_all("on_test_begin", _python_logs(logs))

    def on_test_end(self, logs=None):
        self._call_all("on_test_end", _python_logs(logs))

    def on_test_batch_begin(self, batch, logs=None):
        self._call_all("on_test_batch_begin", batch, _python_logs(logs))

    def on_test_batch_end(self, batch, logs=None):
        self._call_all("on_test_batch_end", batch, _python_logs(logs))

    def on_predict_begin(self, logs=None):
        self._call_all("on_predict_begin", _python_logs(logs))

    def on_predict_end(self, logs=None):
        self._call_all("on_predict_end", _python_logs(logs))

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_all("on_predict_batch_begin", batch, _python_logs(logs))

    def on_predict_batch_end(self, batch, logs=None):
        self._call_all("on_predict_batch_end", batch, _python_logs(logs))


def _python_logs(logs):
    """A fresh dict for one event, with one-number tensors and arrays turned into floats.

    Every callback of the event sees the same dict, so a callback that adds a
    key (LearningRateScheduler adds "learning_rate") adds it for the later ones.
    """
    return {name: _as_float(value) for name, value in (logs or {}).items()}


def _as_float(value):
    # A hand-written loop may log `loss` as a tensor or a NumPy number; History and
    # CSVLogger want a plain float. Only single numbers (0 dimensions) are converted:
    # predict's `outputs` stay arrays, even for a batch of one.
    if getattr(value, "ndim", None) == 0:
        return float(value)
    return value


def _acts_at(callback, hook):
    alias = _ALIASES.get(hook)
    return overrides_hook(callback, hook) or (alias is not None and overrides_hook(callback, alias))


def _first_of_type(callbacks, cls):
    return next((callback for callback in callbacks if isinstance(callback, cls)), None)


def _check_is_callback(callback):
    if isinstance(callback, type) and issubclass(callback, Callback):
        raise TypeError(f"callbacks=[{callback.__name__}] holds the class itself; pass an "
                        f"instance instead: callbacks=[{callback.__name__}()].")
    if not isinstance(callback, Callback):
        raise TypeError(f"Each callback must be an instance of minilib.callbacks.Callback; "
                        f"got {callback!r} of type {type(callback).__name__}.")
