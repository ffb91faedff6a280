"""History, CSVLogger, LambdaCallback, TerminateOnNaN and LearningRateScheduler, driven by hand."""

import math

import numpy as np
import pytest

from minilib.callbacks import (
    CallbackList,
    CSVLogger,
    History,
    LambdaCallback,
    LearningRateScheduler,
    TerminateOnNaN,
)
from minilib.optimizers import SGD
from minilib.optimizers.schedules import ExponentialDecay

# ----- History --------------------------------------------------------------------------------


def test_history_keeps_one_list_per_metric(model, run_epochs):
    history = History()
    run_epochs(CallbackList([history], model=model, verbose=0, epochs=2, steps=4),
               [{"loss": 0.9, "val_loss": 1.0}, {"loss": 0.5, "val_loss": 0.6}])
    assert history.history == {"loss": [0.9, 0.5], "val_loss": [1.0, 0.6]}
    assert history.epoch == [0, 1]
    assert history.params == {"verbose": 0, "epochs": 2, "steps": 4}


def test_history_appends_across_fits_but_restarts_epoch(model, run_epochs):
    history = History()
    run_epochs(CallbackList([history], model=model), [{"loss": 0.9}])
    run_epochs(CallbackList([history], model=model), [{"loss": 0.5}])
    assert history.history == {"loss": [0.9, 0.5]} and history.epoch == [0]


# ----- CSVLogger ------------------------------------------------------------------------------


def test_csv_logger_writes_a_header_and_one_row_per_epoch(model, run_epochs, tmp_path):
    path = tmp_path / "log.csv"
    run_epochs(CallbackList([CSVLogger(path)], model=model),
               [{"loss": 0.5, "val_loss": 0.75}, {"loss": 0.25, "val_loss": 0.5}])
    assert path.read_text().splitlines() == ["epoch,loss,val_loss", "0,0.5,0.75", "1,0.25,0.5"]


def test_csv_rows_are_on_disk_when_each_epoch_ends(model, tmp_path):
    path = tmp_path / "log.csv"
    callbacks = CallbackList([CSVLogger(path, separator=";")], model=model)
    callbacks.on_train_begin()
    callbacks.on_epoch_end(0, {"loss": 0.5})
    # Training is not over, yet the row can be read (e.g. after a crash).
    assert path.read_text().splitlines() == ["epoch;loss;val_loss", "0;0.5;NA"]


def test_csv_logger_append_resumes_under_the_existing_header(model, run_epochs, tmp_path):
    path = tmp_path / "log.csv"
    run_epochs(CallbackList([CSVLogger(path)], model=model),
               [{"loss": 0.5, "accuracy": 0.7, "learning_rate": 0.1}])
    # The resumed run logs its keys in another order; the columns must still line up.
    resumed = CallbackList([CSVLogger(path, append=True)], model=model)
    resumed.on_train_begin()
    resumed.on_epoch_end(1, {"accuracy": 0.8, "loss": 0.25, "learning_rate": 0.1})
    resumed.on_train_end()
    assert path.read_text().splitlines() == [
        "epoch,loss,accuracy,learning_rate,val_loss,val_accuracy",
        "0,0.5,0.7,0.1,NA,NA",
        "1,0.25,0.8,0.1,NA,NA",
    ]


def test_csv_logger_without_append_starts_a_new_file(model, run_epochs, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("old,content\n")
    run_epochs(CallbackList([CSVLogger(path)], model=model), [{"loss": 0.5, "val_loss": 0.5}])
    assert path.read_text().splitlines() == ["epoch,loss,val_loss", "0,0.5,0.5"]


# ----- LambdaCallback -------------------------------------------------------------------------


def test_lambda_callback_calls_the_given_functions(model, run_epochs):
    events = []
    callback = LambdaCallback(on_train_begin=lambda logs: events.append("begin"),
                              on_epoch_end=lambda epoch, logs: events.append((epoch, logs)),
                              on_train_end=lambda logs: events.append("end"),
                              on_test_end=lambda logs: events.append("test end"))
    callbacks = CallbackList([callback], model=model)
    run_epochs(callbacks, [{"loss": 1.0}])
    callbacks.on_test_begin()
    callbacks.on_test_end()
    assert events == ["begin", (0, {"loss": 1.0}), "end", "test end"]


def test_lambda_callback_rejects_a_misspelt_hook():
    with pytest.raises(TypeError, match=r"unknown hook names \['on_epoch_ends'\]"):
        LambdaCallback(on_epoch_ends=print)


# ----- TerminateOnNaN -------------------------------------------------------------------------


@pytest.mark.parametrize("bad_loss", [math.nan, math.inf])
def test_terminate_on_nan_stops_training(model, bad_loss, capsys):
    callbacks = CallbackList([TerminateOnNaN()], model=model)
    callbacks.on_train_batch_end(0, {"loss": 0.5})
    assert not model.stop_training
    callbacks.on_train_batch_end(1, {"loss": bad_loss})
    assert model.stop_training
    assert capsys.readouterr() == ("Batch 1: Invalid loss, terminating training\n", "")


def test_terminate_on_nan_can_raise_instead(model):
    callbacks = CallbackList([TerminateOnNaN(raise_error=True)], model=model)
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 2"):
        callbacks.on_train_batch_end(2, {"loss": math.nan})


# ----- LearningRateScheduler ------------------------------------------------------------------


def test_scheduler_sets_the_learning_rate_when_each_epoch_starts(model, run_epochs, capsys):
    def halve_after_first(epoch, lr):
        return lr if epoch == 0 else lr / 2

    callbacks = CallbackList([LearningRateScheduler(halve_after_first, verbose=1)],
                             add_history=True, model=model)
    run_epochs(callbacks, [{"loss": 1.0}] * 3)
    assert callbacks.history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.025])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.025)
    out = capsys.readouterr().out
    assert "Epoch 3: LearningRateScheduler setting learning rate to 0.025" in out


def test_scheduler_accepts_a_function_of_the_epoch_alone(model, run_epochs):
    run_epochs(CallbackList([LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1))], model=model),
               [{"loss": 1.0}] * 2)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.02)


def test_scheduler_result_must_be_a_number(model, run_epochs):
    with pytest.raises(ValueError, match="must return a float"):
        run_epochs(CallbackList([LearningRateScheduler(lambda epoch, lr: "fast")], model=model),
                   [{"loss": 1.0}])
    run_epochs(CallbackList([LearningRateScheduler(lambda e, lr: np.float32(0.5))], model=model),
               [{"loss": 1.0}])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.5)


def test_scheduler_cannot_override_an_optimizer_schedule(model, run_epochs):
    model.optimizer = SGD(learning_rate=ExponentialDecay(0.1, decay_steps=10, decay_rate=0.9))
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        run_epochs(CallbackList([LearningRateScheduler(lambda e, lr: lr)], model=model),
                   [{"loss": 1.0}])
