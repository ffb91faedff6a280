"""A small real model, and helpers to drive callback hooks by hand without training."""

import pytest

from minilib.callbacks import LambdaCallback
from tests.helpers.small_models import make_model, set_all_weights


@pytest.fixture
def model():
    return make_model()


@pytest.fixture
def run_epochs(model):
    """Drive a CallbackList through fit's epoch hooks, one epoch per dict of logs.

    Before each epoch's end the model's weights are set to the epoch number
    (so tests can tell which epoch's weights were kept). Like fit, it sets
    `model.stop_training = False` first and stops when a callback sets it to
    True; returns how many epochs ran.
    """

    def run(callbacks, epoch_logs):
        model.stop_training = False
        callbacks.on_train_begin()
        ran = 0
        for epoch, logs in enumerate(epoch_logs):
            callbacks.on_epoch_begin(epoch)
            set_all_weights(model, epoch)
            callbacks.on_epoch_end(epoch, dict(logs))
            ran += 1
            if model.stop_training:
                break
        callbacks.on_train_end()
        return ran

    return run


HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
         "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
         "on_test_batch_begin", "on_test_batch_end", "on_predict_begin", "on_predict_end",
         "on_predict_batch_begin", "on_predict_batch_end")


@pytest.fixture
def make_recorder():
    """`make_recorder(name, calls)`: a callback that appends (name, hook, args) to `calls`."""

    def make(name, calls):
        def recording(hook):
            return lambda *args: calls.append((name, hook, args))

        return LambdaCallback(**{hook: recording(hook) for hook in HOOKS})

    return make
