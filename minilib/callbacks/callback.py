"""Callback: the base class of everything that hooks into `fit`, `evaluate` and `predict`."""

BATCH_END_HOOKS = ("on_train_batch_end", "on_batch_end", "on_test_batch_end",
                   "on_predict_batch_end")


def overrides_hook(callback, hook_name):
    """True when `callback` does something at `hook_name`, not the base class's nothing.

    A hook counts as overridden when a subclass defines it or when the
    instance was given its own function (as `LambdaCallback` does).
    """
    hook = getattr(callback, hook_name)
    return getattr(hook, "__func__", hook) is not getattr(Callback, hook_name)


class Callback:
    """Base class for callbacks: subclass it and override the hooks you need.

    When to use: to run your own code during training, for example to log
    something, change the learning rate, or stop early.

    A training loop is a fixed sequence of events: training starts, an epoch starts,
    a batch starts, a batch ends, ..., an epoch ends, training ends. At each event
    the loop calls one method, a *hook*, on every callback, for example
    `on_epoch_end(epoch, logs)`. The base class defines every hook to do nothing,
    so a callback overrides only the hooks it cares about.

    `logs` is a dict of plain Python floats, such as
    `{"loss": 0.31, "accuracy": 0.9, "val_loss": 0.35, "val_accuracy": 0.88}` at
    the end of an epoch. At the end of a training batch it holds the running
    averages of the epoch so far; at the start of anything it is empty.

    To see which hooks your callbacks use, and where in the loop they run, call
    `model.show_training_loop(callbacks=[...])`.

    Attributes:
        model: the model being trained (set by `fit`, `evaluate` or `predict`).
        params: a dict with `verbose`, `epochs` and `steps` (the number of
            batches per epoch, or None when unknown).

    Example, stop as soon as the training loss is below 0.01:

    >>> class StopAtLoss(minilib.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         if logs["loss"] < 0.01:
    ...             self.model.stop_training = True
    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer=minilib.optimizers.SGD(learning_rate=0.5), loss="mse")
    >>> history = model.fit(x, 3 * x, epochs=100, callbacks=[StopAtLoss()], verbose=0)
    >>> len(history.epoch) < 100, history.history["loss"][-1] < 0.01
    (True, True)
    """

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        """The model this callback is attached to."""
        return self._model

    @property
    def wants_batch_logs(self):
        """Whether this callback reads the `logs` of single batches.

        The training loop builds per-batch logs only when some callback wants
        them, because turning the loss into a Python float after every batch
        costs time. By default a callback wants them when it overrides a
        batch-end hook; a subclass may say no when its batch hooks ignore `logs`.
        """
        return any(overrides_hook(self, name) for name in BATCH_END_HOOKS)

    # ----- training ------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        """Called once when `fit` starts."""

    def on_train_end(self, logs=None):
        """Called once when `fit` ends; `logs` are those of the last epoch."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called when epoch number `epoch` (counting from 0) starts."""

    def on_epoch_end(self, epoch, logs=None):
        """Called when an epoch ends, after validation; `logs` hold its metrics."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before training on batch number `batch` (counting from 0 in each epoch)."""
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after the weights were updated on a batch; `logs` hold running averages."""
        self.on_batch_end(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        """Old (Keras 2) name of `on_train_batch_begin`; still called for training batches."""

    def on_batch_end(self, batch, logs=None):
        """Old (Keras 2) name of `on_train_batch_end`; still called for training batches."""

    # ----- evaluation (also the validation inside fit) ---------------------------------------

    def on_test_begin(self, logs=None):
        """Called when `evaluate` starts, and when `fit` starts validating."""

    def on_test_end(self, logs=None):
        """Called when evaluation ends; `logs` hold the evaluation's metrics."""

    def on_test_batch_begin(self, batch, logs=None):
        """Called before evaluating one batch."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after evaluating one batch; `logs` hold running averages."""

    # ----- prediction ----------------------------------------------------------------------

    def on_predict_begin(self, logs=None):
        """Called when `predict` starts."""

    def on_predict_end(self, logs=None):
        """Called when `predict` ends."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before predicting one batch."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after predicting one batch."""
