"""CallbackList: dispatch order, default callbacks, batch-log needs, and describe()."""

import numpy as np
import pytest
import torch

from minilib.callbacks import (
    Callback,
    CallbackList,
    CSVLogger,
    EarlyStopping,
    History,
    LambdaCallback,
    ModelCheckpoint,
    ProgbarLogger,
    TerminateOnNaN,
)


def test_every_hook_reaches_every_callback_in_list_order(make_recorder):
    calls = []
    callbacks = CallbackList([make_recorder("a", calls), make_recorder("b", calls)])
    callbacks.on_train_begin()
    callbacks.on_epoch_begin(0)
    callbacks.on_train_batch_begin(0)
    callbacks.on_train_batch_end(0, {"loss": 1.0})
    callbacks.on_test_begin()
    callbacks.on_test_batch_begin(0)
    callbacks.on_test_batch_end(0, {"loss": 2.0})
    callbacks.on_test_end({"loss": 2.0})
    callbacks.on_epoch_end(0, {"loss": 1.0, "val_loss": 2.0})
    callbacks.on_train_end({"loss": 1.0})
    callbacks.on_predict_begin()
    callbacks.on_predict_batch_begin(0)
    callbacks.on_predict_batch_end(0)
    callbacks.on_predict_end()

    hooks = ["on_train_begin", "on_epoch_begin", "on_train_batch_begin", "on_train_batch_end",
             "on_test_begin", "on_test_batch_begin", "on_test_batch_end", "on_test_end",
             "on_epoch_end", "on_train_end", "on_predict_begin", "on_predict_batch_begin",
             "on_predict_batch_end", "on_predict_end"]
    assert [(name, hook) for name, hook, _ in calls] == [
        (name, hook) for hook in hooks for name in ("a", "b")]
    assert ("a", "on_epoch_end", (0, {"loss": 1.0, "val_loss": 2.0})) in calls


def test_missing_logs_arrive_as_an_empty_dict():
    seen = []
    callbacks = CallbackList([LambdaCallback(on_train_batch_begin=lambda b, logs: seen.append(logs),
                                             on_train_begin=seen.append)])
    callbacks.on_train_begin()
    callbacks.on_train_batch_begin(0, None)
    assert seen == [{}, {}]


def test_one_number_tensors_become_floats_but_outputs_stay_arrays():
    seen = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(logs),
                            on_predict_batch_end=lambda batch, logs: seen.append(logs))
    callbacks = CallbackList([record])
    callbacks.on_epoch_end(0, {"loss": torch.tensor(0.5), "mae": np.float32(0.25)})
    outputs = torch.ones(1, 1)
    callbacks.on_predict_batch_end(0, {"outputs": outputs})
    assert seen[0] == {"loss": 0.5, "mae": 0.25}
    assert type(seen[0]["loss"]) is float and type(seen[0]["mae"]) is float
    assert seen[1]["outputs"] is outputs


def test_a_key_added_by_one_callback_is_seen_by_the_next():
    seen = []

    def add_key(epoch, logs):
        logs["extra"] = 1.0

    callbacks = CallbackList([LambdaCallback(on_epoch_end=add_key),
                              LambdaCallback(on_epoch_end=lambda e, logs: seen.append(logs))])
    trainer_logs = {"loss": 0.5}
    callbacks.on_epoch_end(0, trainer_logs)
    assert seen == [{"loss": 0.5, "extra": 1.0}]
    assert trainer_logs == {"loss": 0.5}  # the caller's dict is left alone


def test_keras2_batch_aliases_run_for_training_batches():
    calls = []

    class OldStyle(Callback):
        def on_batch_begin(self, batch, logs=None):
            calls.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            calls.append(("end", batch, logs))

    callbacks = CallbackList([OldStyle()])
    callbacks.on_train_batch_begin(3)
    callbacks.on_train_batch_end(3, {"loss": 0.1})
    callbacks.on_test_batch_end(3, {"loss": 0.2})  # not a training batch: no alias
    assert calls == [("begin", 3), ("end", 3, {"loss": 0.1})]


def test_history_and_progbar_are_added_once_and_last(model):
    stop = EarlyStopping()
    callbacks = CallbackList([stop], add_history=True, add_progbar=True, model=model,
                             verbose=1, epochs=2, steps=5)
    assert [type(c) for c in callbacks.callbacks] == [EarlyStopping, History, ProgbarLogger]
    assert callbacks.history is callbacks.callbacks[1]
    assert model.history is callbacks.history
    assert all(c.model is model for c in callbacks.callbacks)
    assert stop.params == {"verbose": 1, "epochs": 2, "steps": 5}

    own_history, own_progbar = History(), ProgbarLogger()
    callbacks = CallbackList([own_progbar, own_history], add_history=True, add_progbar=True)
    assert callbacks.callbacks == [own_progbar, own_history]
    assert callbacks.history is own_history
    assert CallbackList().history is None


def test_a_single_callback_is_accepted_without_a_list():
    stop = EarlyStopping()
    assert CallbackList(stop).callbacks == [stop]


def test_passing_a_class_or_a_non_callback_is_a_clear_error():
    with pytest.raises(TypeError, match=r"instance instead: callbacks=\[EarlyStopping\(\)\]"):
        CallbackList([EarlyStopping])
    with pytest.raises(TypeError, match="must be an instance of minilib.callbacks.Callback"):
        CallbackList([print])


def test_wants_batch_logs_only_when_some_callback_reads_them():
    def wants(*callbacks, verbose=1):
        return CallbackList(list(callbacks), verbose=verbose, epochs=1, steps=1).wants_batch_logs

    assert not wants(EarlyStopping(), History(), CSVLogger("unused.csv"))
    assert wants(TerminateOnNaN())  # overrides on_batch_end, the Keras 2 alias
    assert wants(LambdaCallback(on_train_batch_end=print))
    assert wants(LambdaCallback(on_test_batch_end=print))
    assert not wants(LambdaCallback(on_train_batch_begin=print))
    assert wants(ProgbarLogger(), verbose=1)  # the live bar shows the running loss
    assert not wants(ProgbarLogger(), verbose=2)
    assert not wants(ModelCheckpoint("m.keras"))
    assert wants(ModelCheckpoint("m.keras", monitor="loss", save_freq=10))


def test_describe_lists_the_loop_and_who_acts_where():
    class PrintEpoch(Callback):
        def on_epoch_end(self, epoch, logs=None):
            pass

    text = CallbackList([TerminateOnNaN(), PrintEpoch()], add_history=True,
                        add_progbar=True, verbose=1, epochs=1, steps=None).describe()
    lines = text.splitlines()

    def callbacks_under(hook):
        index = next(i for i, line in enumerate(lines) if line.endswith(" " + hook))
        following = lines[index + 1].strip()
        return following.removeprefix("-> ").split(", ") if following.startswith("->") else []

    events = [line.split()[-1] for line in lines if " on_" in line]
    assert events == ["on_train_begin", "on_epoch_begin", "on_train_batch_begin",
                      "on_train_batch_end", "on_test_begin", "on_test_batch_begin",
                      "on_test_batch_end", "on_test_end", "on_epoch_end", "on_train_end"]
    assert callbacks_under("on_train_begin") == ["History", "ProgbarLogger"]
    assert callbacks_under("on_train_batch_begin") == []
    assert callbacks_under("on_train_batch_end") == ["TerminateOnNaN", "ProgbarLogger"]
    assert callbacks_under("on_epoch_end") == ["PrintEpoch", "History", "ProgbarLogger"]
    assert "for each epoch:" in text and "for each batch of training data:" in text
    assert "model.stop_training" in text
