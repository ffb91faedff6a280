"""TerminateOnNaN: stop training as soon as the loss becomes NaN or infinite."""

import math

from minilib.callbacks.callback import Callback
from minilib.callbacks.messages import print_message


class TerminateOnNaN(Callback):
    """Stops `fit` at the first training batch whose loss is NaN or infinite.

    When to use: once the loss is NaN, the weights usually are too, and every
    further epoch is wasted. A NaN loss often means the learning rate is too
    high, or the data holds NaN values.

    Args:
        raise_error: raise a RuntimeError instead of stopping quietly (after
            a printed line) at the end of the batch.

    Example: one NaN in the data makes the loss NaN, and training stops in the
    first epoch (at whichever batch the shuffled NaN lands in).

    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> x_with_nan = x.copy()
    >>> x_with_nan[0] = np.nan
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(x_with_nan, 3 * x, epochs=100, batch_size=8, verbose=0,
    ...                     callbacks=[minilib.callbacks.TerminateOnNaN()])
    Batch ...: Invalid loss, terminating training
    >>> history.epoch
    [0]
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. "
                               f"Loss value: {loss}. Terminating training immediately.")
        print_message(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
