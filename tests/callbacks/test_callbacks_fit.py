"""The callbacks inside real `model.fit`, `evaluate` and `predict` runs.

The model learns y = x with one weight that starts at 0. Its validation data
asks for y = -x instead, so while the training loss falls, the validation
loss rises every epoch: the best validation epoch is always the first.
"""

import csv
import math
import os
import re

import numpy as np
import pytest

import minilib
from minilib.callbacks import (
    CSVLogger,
    EarlyStopping,
    LambdaCallback,
    LearningRateScheduler,
    ModelCheckpoint,
    ReduceLROnPlateau,
    TerminateOnNaN,
)
from minilib.saving import load_model

X = np.linspace(-1, 1, 16, dtype="float32").reshape(-1, 1)
VALIDATION = (X[:8], -X[:8])


def make_model(learning_rate=0.5):
    model = minilib.Sequential([
        minilib.Input(shape=(1,)),
        minilib.layers.Dense(1, use_bias=False, kernel_initializer="zeros"),
    ])
    model.compile(optimizer=minilib.optimizers.SGD(learning_rate=learning_rate), loss="mse")
    return model


def fit(model, epochs, callbacks, x=X, y=X, verbose=0, **kwargs):
    return model.fit(x, y, batch_size=8, epochs=epochs, validation_data=VALIDATION,
                     shuffle=False, callbacks=callbacks, verbose=verbose, **kwargs)


def test_fit_calls_the_hooks_in_keras_order(make_recorder):
    calls = []
    fit(make_model(), epochs=2, callbacks=[make_recorder("recorder", calls)])
    events = [(hook, args[0]) if hook.startswith(("on_epoch", "on_train_batch", "on_test_batch"))
              else hook for _, hook, args in calls]

    def one_epoch(epoch):  # two training batches, then one validation batch
        return [("on_epoch_begin", epoch),
                ("on_train_batch_begin", 0), ("on_train_batch_end", 0),
                ("on_train_batch_begin", 1), ("on_train_batch_end", 1),
                "on_test_begin", ("on_test_batch_begin", 0), ("on_test_batch_end", 0),
                "on_test_end", ("on_epoch_end", epoch)]

    assert events == ["on_train_begin", *one_epoch(0), *one_epoch(1), "on_train_end"]

    epoch_logs = [args[1] for _, hook, args in calls if hook == "on_epoch_end"]
    assert all(set(logs) >= {"loss", "val_loss"} for logs in epoch_logs)
    batch_logs = [args[1] for _, hook, args in calls if hook == "on_train_batch_end"]
    assert all(isinstance(logs["loss"], float) for logs in batch_logs)


def test_early_stopping_stops_and_restores_the_best_weights():
    model = make_model()
    kernels = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: kernels.append(
        np.array(model.get_weights()[0], copy=True)))
    stop = EarlyStopping(patience=2, restore_best_weights=True)
    history = fit(model, epochs=20, callbacks=[record, stop])

    assert len(history.history["val_loss"]) == 3  # best at epoch 0, then 2 worse epochs
    assert stop.stopped_epoch == 2 and stop.best_epoch == 0
    assert not np.allclose(kernels[0], kernels[2])
    np.testing.assert_array_equal(model.get_weights()[0], kernels[0])


def test_model_checkpoint_files_through_fit(tmp_path):
    model = make_model()
    kernels = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: kernels.append(
        np.array(model.get_weights()[0], copy=True)))
    every_epoch = ModelCheckpoint(str(tmp_path / "all" / "e{epoch:02d}-{loss:.3f}.keras"))
    best_only = ModelCheckpoint(str(tmp_path / "best" / "e{epoch}.weights.h5"),
                                save_best_only=True, save_weights_only=True)
    history = fit(model, epochs=3, callbacks=[record, every_epoch, best_only])

    losses = history.history["loss"]
    names = [f"e{epoch:02d}-{loss:.3f}.keras" for epoch, loss in enumerate(losses, start=1)]
    assert sorted(os.listdir(tmp_path / "all")) == names
    second = load_model(str(tmp_path / "all" / names[1]))
    np.testing.assert_array_equal(second.get_weights()[0], kernels[1])
    assert os.listdir(tmp_path / "best") == ["e1.weights.h5"]  # val_loss only got worse
    restored = make_model()
    restored.load_weights(str(tmp_path / "best" / "e1.weights.h5"))
    np.testing.assert_array_equal(restored.get_weights()[0], kernels[0])


def test_learning_rate_scheduler_drives_the_optimizer():
    model = make_model()
    kernels = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: kernels.append(
        np.array(model.get_weights()[0], copy=True)))
    # A learning rate of 0 in the second epoch must freeze the weights.
    schedule = LearningRateScheduler(lambda epoch, lr: 0.0 if epoch == 1 else 0.25)
    history = fit(model, epochs=3, callbacks=[schedule, record])

    assert history.history["learning_rate"] == [0.25, 0.0, 0.25]
    np.testing.assert_array_equal(kernels[0], kernels[1])
    assert not np.allclose(kernels[1], kernels[2])
    assert float(model.optimizer.learning_rate) == 0.25


def test_reduce_lr_on_plateau_lowers_the_learning_rate():
    model = make_model(learning_rate=0.4)
    history = fit(model, epochs=3, callbacks=[ReduceLROnPlateau(factor=0.5, patience=1)])
    assert history.history["learning_rate"] == pytest.approx([0.4, 0.4, 0.2])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.1)


def test_csv_logger_through_fit(tmp_path):
    path = tmp_path / "training.csv"
    history = fit(make_model(), epochs=2, callbacks=[CSVLogger(path)])
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    assert [int(row["epoch"]) for row in rows] == [0, 1]
    for key, values in history.history.items():
        assert [float(row[key]) for row in rows] == pytest.approx(values)


def test_terminate_on_nan_stops_after_the_bad_batch():
    y = X.copy()
    y[9] = np.nan  # in the second batch of the first epoch
    batches = []
    count = LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(batch))
    history = fit(make_model(), epochs=5, callbacks=[TerminateOnNaN(), count], y=y)
    assert batches == [0, 1]
    assert len(history.history["loss"]) == 1 and math.isnan(history.history["loss"][0])


def test_missing_monitor_stops_fit_with_a_clear_error():
    with pytest.raises(ValueError, match="EarlyStopping watches monitor='val_acc'"):
        fit(make_model(), epochs=2, callbacks=[EarlyStopping(monitor="val_acc")])


@pytest.mark.parametrize("verbose", [0, 1, 2])
def test_fit_evaluate_and_predict_print_progress_to_stdout_only(verbose, capsys):
    model = make_model()
    fit(model, epochs=2, callbacks=[], verbose=verbose)
    model.evaluate(X, X, batch_size=8, verbose=verbose)
    model.predict(X, batch_size=8, verbose=verbose)
    out, err = capsys.readouterr()
    assert err == ""
    lines = [line.split("\r")[-1] for line in out.split("\n") if line]
    if verbose == 0:
        assert out == ""
    elif verbose == 1:
        assert [line.split(":")[0] for line in lines] == [
            "Epoch 1/2", "Epoch 2/2", "Evaluate", "Predict"]
        assert all("2/2" in line for line in lines)
        assert re.search(r"loss: \d\.\d{4} - val_loss: \d\.\d{4}", lines[1])
    else:
        number = r"\d\.\d{4}"
        assert re.fullmatch(rf"Epoch 2/2 - 2 steps in \d+\.\ds - loss: {number} - "
                            rf"val_loss: {number}", lines[1])
        assert re.fullmatch(rf"Evaluate - 2 steps in \d+\.\ds - loss: {number}", lines[2])
        assert re.fullmatch(r"Predict - 2 steps in \d+\.\ds", lines[3])


def test_show_training_loop_names_the_callbacks(capsys):
    make_model().show_training_loop(callbacks=[EarlyStopping(), TerminateOnNaN()])
    text = capsys.readouterr().out
    assert "on_epoch_end" in text and "-> EarlyStopping, History, ProgbarLogger" in text
    assert "-> TerminateOnNaN, ProgbarLogger" in text
