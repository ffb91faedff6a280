"""Callbacks: objects that `fit`, `evaluate` and `predict` call at fixed points of their loops.

    >>> import minilib
    >>> x, y = np.random.rand(100, 3), np.random.rand(100)   # targets that cannot be learned
    >>> model = minilib.Sequential([minilib.Input(shape=(3,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer=minilib.optimizers.SGD(learning_rate=0.3), loss="mse")
    >>> stop = minilib.callbacks.EarlyStopping(patience=3)
    >>> history = model.fit(x, y, validation_split=0.2, epochs=100, callbacks=[stop], verbose=0)
    >>> len(history.epoch) < 100      # stopped once val_loss gave up improving
    True

Write your own by subclassing `Callback`. `model.show_training_loop(callbacks=[...])`
prints which callback runs at which point of the loop.
"""

from minilib.callbacks.callback import Callback
from minilib.callbacks.callback_list import CallbackList
from minilib.callbacks.csv_logger import CSVLogger
from minilib.callbacks.early_stopping import EarlyStopping
from minilib.callbacks.history import History
from minilib.callbacks.lambda_callback import LambdaCallback
from minilib.callbacks.learning_rate_scheduler import LearningRateScheduler
from minilib.callbacks.model_checkpoint import ModelCheckpoint
from minilib.callbacks.progbar_logger import ProgbarLogger
from minilib.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from minilib.callbacks.tensorboard import TensorBoard
from minilib.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "Callback",
    "CallbackList",
    "CSVLogger",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TensorBoard",
    "TerminateOnNaN",
]
