"""Code in the style of Keras's guide "Writing your own callbacks"."""

import numpy as np

import minilib as keras


def get_model():
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.1),
                  loss="mean_squared_error", metrics=["mean_absolute_error"])
    return model


def data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 8)).astype("float32")
    return x, x.sum(axis=1, keepdims=True)


class CustomCallback(keras.callbacks.Callback):
    """Records every hook that fires, with the keys of its logs."""

    def __init__(self):
        super().__init__()
        self.events = []

    def _record(self, name, logs):
        self.events.append((name, sorted(logs) if logs else []))

    def on_train_begin(self, logs=None):
        self._record("train_begin", logs)

    def on_train_end(self, logs=None):
        self._record("train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._record(f"epoch_begin {epoch}", logs)

    def on_epoch_end(self, epoch, logs=None):
        self._record(f"epoch_end {epoch}", logs)

    def on_test_begin(self, logs=None):
        self._record("test_begin", logs)

    def on_test_end(self, logs=None):
        self._record("test_end", logs)

    def on_predict_begin(self, logs=None):
        self._record("predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._record("predict_end", logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._record(f"train_batch_begin {batch}", logs)

    def on_train_batch_end(self, batch, logs=None):
        self._record(f"train_batch_end {batch}", logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._record(f"test_batch_begin {batch}", logs)

    def on_test_batch_end(self, batch, logs=None):
        self._record(f"test_batch_end {batch}", logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._record(f"predict_batch_begin {batch}", logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._record(f"predict_batch_end {batch}", logs)


def test_every_hook_fires_in_keras_order_with_logs():
    x, y = data()
    model = get_model()
    recorder = CustomCallback()
    model.fit(x, y, batch_size=32, epochs=1, validation_split=0.5, verbose=0,
              callbacks=[recorder])
    names = [name for name, _ in recorder.events]
    assert names == ["train_begin", "epoch_begin 0", "train_batch_begin 0", "train_batch_end 0",
                     "test_begin", "test_batch_begin 0", "test_batch_end 0", "test_end",
                     "epoch_end 0", "train_end"]
    logs = dict(recorder.events)
    assert logs["train_batch_end 0"] == ["loss", "mean_absolute_error"]
    assert logs["epoch_end 0"] == ["loss", "mean_absolute_error", "val_loss",
                                   "val_mean_absolute_error"]

    recorder.events.clear()
    model.evaluate(x, y, batch_size=64, verbose=0, callbacks=[recorder])
    model.predict(x, batch_size=64, verbose=0, callbacks=[recorder])
    assert [n for n, _ in recorder.events] == [
        "test_begin", "test_batch_begin 0", "test_batch_end 0", "test_end",
        "predict_begin", "predict_batch_begin 0", "predict_batch_end 0", "predict_end"]


def test_batch_logs_are_running_averages_and_predict_batches_carry_outputs():
    class BatchLosses(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.train, self.test, self.epoch, self.outputs = [], [], [], []

        def on_train_batch_end(self, batch, logs=None):
            self.train.append(logs["loss"])

        def on_test_batch_end(self, batch, logs=None):
            self.test.append(logs["loss"])

        def on_epoch_end(self, epoch, logs=None):
            self.epoch.append(logs["loss"])

        def on_predict_batch_end(self, batch, logs=None):
            self.outputs.append(logs["outputs"])

    x, y = data()
    model = get_model()
    watcher = BatchLosses()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mean_squared_error")
    model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0, callbacks=[watcher])
    squared = (model.predict(x, verbose=0) - y) ** 2
    per_batch = squared.reshape(4, 16).mean(axis=1)
    np.testing.assert_allclose(watcher.train, np.cumsum(per_batch) / np.arange(1, 5), rtol=1e-5)
    assert watcher.epoch == [watcher.train[-1]]  # the epoch's loss is the last running value

    model.evaluate(x, y, batch_size=16, verbose=0, callbacks=[watcher])
    np.testing.assert_allclose(watcher.test, watcher.train, rtol=1e-5)
    predictions = model.predict(x, batch_size=16, verbose=0, callbacks=[watcher])
    assert [tuple(out.shape) for out in watcher.outputs] == [(16, 1)] * 4
    np.testing.assert_allclose(np.concatenate([np.asarray(o) for o in watcher.outputs]),
                               predictions, rtol=1e-6)


class EarlyStoppingAtMinLoss(keras.callbacks.Callback):
    """Stop when the loss stops improving and restore the best weights."""

    def __init__(self, patience=0):
        super().__init__()
        self.patience = patience
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = logs.get("loss")
        if np.less(current, self.best):
            self.best = current
            self.wait = 0
            self.best_weights = self.model.get_weights()
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True
                self.model.set_weights(self.best_weights)


def test_custom_early_stopping_restores_best_weights():
    x, y = data()
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.5), loss="mse")  # diverges
    stopper = EarlyStoppingAtMinLoss(patience=1)
    history = model.fit(x, y, batch_size=64, epochs=30, verbose=0, callbacks=[stopper])
    assert len(history.history["loss"]) < 30
    for best, current in zip(stopper.best_weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(best, current)


class CustomLearningRateScheduler(keras.callbacks.Callback):
    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule
        self.seen = []

    def on_epoch_begin(self, epoch, logs=None):
        lr = float(np.array(self.model.optimizer.learning_rate))
        scheduled_lr = self.schedule(epoch, lr)
        self.model.optimizer.learning_rate = scheduled_lr
        self.seen.append(float(self.model.optimizer.learning_rate))


def test_custom_learning_rate_scheduler_changes_the_optimizer():
    def lr_schedule(epoch, lr):
        return 0.05 if epoch >= 2 else lr

    x, y = data()
    scheduler = CustomLearningRateScheduler(lr_schedule)
    get_model().fit(x, y, batch_size=64, epochs=4, verbose=0, callbacks=[scheduler])
    np.testing.assert_allclose(scheduler.seen, [0.1, 0.1, 0.05, 0.05], rtol=1e-6)


def test_loss_and_error_printing_callback(capsys):
    class LossAndErrorPrintingCallback(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            print(f"The average loss for epoch {epoch} is {logs['loss']:7.2f} "
                  f"and mean absolute error is {logs['mean_absolute_error']:7.2f}.")

    x, y = data()
    get_model().fit(x, y, batch_size=64, epochs=2, verbose=0,
                    callbacks=[LossAndErrorPrintingCallback()])
    assert capsys.readouterr().out.count("The average loss for epoch") == 2
