"""LambdaCallback: a callback made from plain functions, without writing a class."""

from minilib.callbacks.callback import Callback

_HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
          "on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end",
          "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
          "on_predict_begin", "on_predict_end", "on_predict_batch_begin",
          "on_predict_batch_end")


class LambdaCallback(Callback):
    """Runs the functions you give it at the matching hooks.

    When to use: for a quick one-off action, such as printing something, where
    a whole `Callback` subclass would be overkill.

    Each function takes the same arguments as the hook it replaces:
    `on_epoch_begin`/`on_epoch_end` take `(epoch, logs)`, the batch hooks take
    `(batch, logs)`, and `on_train_begin`/`on_train_end` (and the other
    begin/end hooks) take `(logs)`.

    Args:
        on_epoch_begin, on_epoch_end, on_train_begin, on_train_end,
        on_train_batch_begin, on_train_batch_end: functions to call at those hooks.
        **other_hooks: functions for any other hook, by its name, such as
            `on_test_end=...` or `on_predict_batch_end=...`.

    Example:

    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> say_epoch = minilib.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: print(f"epoch {epoch} done, logs {sorted(logs)}"),
    ...     on_train_end=lambda logs: print("training over"))
    >>> history = model.fit(x, 3 * x, epochs=2, verbose=0, callbacks=[say_epoch])
    epoch 0 done, logs ['loss']
    epoch 1 done, logs ['loss']
    training over
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **other_hooks):
        super().__init__()
        unknown = sorted(set(other_hooks) - set(_HOOKS))
        if unknown:
            raise TypeError(f"LambdaCallback got unknown hook names {unknown}. "
                            f"The hooks are: {', '.join(_HOOKS)}.")
        hooks = dict(other_hooks, on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end)
        for name, function in hooks.items():
            if function is not None:
                # An instance attribute hides the base class's do-nothing method.
                setattr(self, name, function)
