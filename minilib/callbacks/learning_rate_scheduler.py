"""LearningRateScheduler: set the learning rate at the start of every epoch from a function."""

import inspect
import numbers

from minilib.callbacks.callback import Callback
from minilib.callbacks.messages import print_message


class LearningRateScheduler(Callback):
    """Calls `schedule(epoch, lr)` when each epoch starts and uses its result as the learning rate.

    When to use: to change the learning rate epoch by epoch with a rule you
    write yourself, such as a warm-up or a step decay. (To change it every
    batch, give the optimizer a `LearningRateSchedule` instead.)

    Args:
        schedule: a function of the epoch index (counting from 0) and the
            current learning rate that returns the new learning rate as a
            float. A function of the epoch alone, `schedule(epoch)`, works too.
        verbose: 1 prints the new learning rate at every epoch.

    The optimizer needs a float learning rate (not a `LearningRateSchedule`).
    Each epoch's rate is added to its logs as `"learning_rate"`, so `History` keeps it.

    Example, keep the rate for 2 epochs, then halve it every epoch:

    >>> def schedule(epoch, lr):
    ...     return lr if epoch < 2 else lr * 0.5
    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer=minilib.optimizers.SGD(learning_rate=0.4), loss="mse")
    >>> history = model.fit(x, 3 * x, epochs=4, verbose=0,
    ...                     callbacks=[minilib.callbacks.LearningRateScheduler(schedule)])
    >>> [round(rate, 3) for rate in history.history["learning_rate"]]
    [0.4, 0.4, 0.2, 0.1]
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if _takes_one_argument(self.schedule):
            learning_rate = self.schedule(epoch)
        else:
            learning_rate = self.schedule(epoch, float(optimizer.learning_rate))
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
            raise ValueError(f"LearningRateScheduler: schedule({epoch}, lr) must return a "
                             f"float, but returned {learning_rate!r}.")
        optimizer.learning_rate = float(learning_rate)
        if self.verbose > 0:
            print_message(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate "
                          f"to {float(learning_rate)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            # Record the learning rate this epoch used, so that History shows it.
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)


def _takes_one_argument(function):
    """Whether `function` can only be called with one positional argument (old Keras API)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # some built-ins have no signature; assume the new API
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    takes_varargs = any(p.kind == p.VAR_POSITIONAL for p in parameters)
    return len(positional) == 1 and not takes_varargs
