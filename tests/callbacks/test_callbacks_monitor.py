"""EarlyStopping, ReduceLROnPlateau and ModelCheckpoint, driven epoch by epoch with chosen logs."""

import os

import numpy as np
import pytest

from minilib.callbacks import CallbackList, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from tests.helpers.small_models import first_weight


def val_losses(*values):
    return [{"loss": 1.0, "val_loss": value} for value in values]


# ----- EarlyStopping --------------------------------------------------------------------------


def test_early_stopping_stops_after_patience_epochs_without_improvement(model, run_epochs):
    stop = EarlyStopping(patience=2)
    ran = run_epochs(CallbackList([stop], model=model), val_losses(1.0, 0.8, 0.9, 0.85, 0.7))
    assert ran == 4  # epoch 1 was the best; epochs 2 and 3 did not beat it
    assert stop.stopped_epoch == 3 and stop.best == 0.8 and stop.best_epoch == 1


def test_early_stopping_with_zero_patience_stops_at_the_first_worse_epoch(model, run_epochs):
    stop = EarlyStopping()
    assert run_epochs(CallbackList([stop], model=model), val_losses(1.0, 0.9, 0.95, 0.5)) == 3


def test_restore_best_weights_puts_back_the_best_epochs_weights(model, run_epochs):
    # The model's weights equal the epoch number.
    stop = EarlyStopping(patience=2, restore_best_weights=True)
    run_epochs(CallbackList([stop], model=model), val_losses(1.0, 0.5, 0.7, 0.6, 0.1))
    assert all(np.all(w == 1) for w in model.get_weights())


def test_restore_best_weights_also_when_training_runs_to_the_end(model, run_epochs):
    stop = EarlyStopping(patience=5, restore_best_weights=True)
    run_epochs(CallbackList([stop], model=model), val_losses(1.0, 0.2, 0.7))
    assert stop.stopped_epoch == 0
    assert all(np.all(w == 1) for w in model.get_weights())


def test_without_restore_best_weights_the_last_weights_stay(model, run_epochs):
    run_epochs(CallbackList([EarlyStopping(patience=1)], model=model), val_losses(1.0, 0.5, 0.7))
    assert all(np.all(w == 2) for w in model.get_weights())


def test_accuracy_is_maximized_in_auto_mode(model, run_epochs):
    logs = [{"val_accuracy": value} for value in (0.5, 0.6, 0.55, 0.9)]
    stop = EarlyStopping(monitor="val_accuracy", patience=1)
    assert run_epochs(CallbackList([stop], model=model), logs) == 3
    assert stop.best == 0.6


def test_min_delta_ignores_tiny_improvements(model, run_epochs):
    stop = EarlyStopping(monitor="loss", min_delta=0.1, patience=1)
    logs = [{"loss": value} for value in (1.0, 0.95, 0.5)]
    assert run_epochs(CallbackList([stop], model=model), logs) == 2


def test_baseline_must_be_beaten_to_reset_patience(model, run_epochs):
    stop = EarlyStopping(patience=2, baseline=0.5)
    assert run_epochs(CallbackList([stop], model=model), val_losses(0.9, 0.8, 0.85)) == 3
    assert stop.stopped_epoch == 2
    no_baseline = EarlyStopping(patience=2)
    assert run_epochs(CallbackList([no_baseline], model=model), val_losses(0.9, 0.8, 0.85)) == 3
    assert no_baseline.stopped_epoch == 0  # ran out of epochs, did not stop


def test_start_from_epoch_ignores_the_warm_up_epochs(model, run_epochs):
    stop = EarlyStopping(start_from_epoch=2)
    assert run_epochs(CallbackList([stop], model=model), val_losses(1, 2, 3, 4, 5)) == 4


def test_one_early_stopping_can_be_used_for_two_fits(model, run_epochs):
    stop = EarlyStopping(patience=1)
    run_epochs(CallbackList([stop], model=model), val_losses(0.1, 0.2))
    assert run_epochs(CallbackList([stop], model=model), val_losses(5.0, 4.0, 3.0)) == 3


def test_early_stopping_verbose_prints_to_stdout(model, run_epochs, capsys):
    stop = EarlyStopping(patience=0, verbose=1, restore_best_weights=True)
    run_epochs(CallbackList([stop], model=model), val_losses(1.0, 2.0))
    out, err = capsys.readouterr()
    assert "Epoch 2: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 1." in out
    assert err == ""


# ----- a missing monitor ----------------------------------------------------------------------


def test_misspelt_monitor_raises_and_names_the_callback_and_the_keys(model, run_epochs):
    stop = EarlyStopping(monitor="val_acc")
    logs = [{"loss": 1.0, "accuracy": 0.5, "val_loss": 1.1, "val_accuracy": 0.4}]
    with pytest.raises(ValueError, match=r"EarlyStopping watches monitor='val_acc'.*"
                                         r"Keys in the logs: loss, accuracy, val_loss, val_acc"):
        run_epochs(CallbackList([stop], model=model), logs)


def test_val_monitor_without_any_validation_raises_when_fit_ends(model, run_epochs, capsys):
    reduce = ReduceLROnPlateau(patience=1)
    with pytest.raises(ValueError, match=r"ReduceLROnPlateau .* no epoch ran validation.*"
                                         r"validation_data="):
        run_epochs(CallbackList([reduce], model=model), [{"loss": 1.0}] * 3)
    assert capsys.readouterr() == ("", "")


def test_epochs_without_validation_are_skipped(model, run_epochs):
    # As with fit(validation_freq=2): only every second epoch has val_ metrics.
    logs = [{"loss": 1.0}, {"loss": 1.0, "val_loss": 0.5},
            {"loss": 1.0}, {"loss": 1.0, "val_loss": 0.7}, {"loss": 1.0}]
    stop = EarlyStopping(patience=0)
    assert run_epochs(CallbackList([stop], model=model), logs) == 4


def test_auto_mode_refuses_to_guess_an_unknown_metric(model, run_epochs):
    with pytest.raises(ValueError, match="Pass mode='max' if bigger is better"):
        run_epochs(CallbackList([EarlyStopping(monitor="score")], model=model), [{"score": 1}])
    assert run_epochs(CallbackList([EarlyStopping(monitor="score", mode="max")], model=model),
                      [{"score": 1}, {"score": 0}]) == 2


def test_unknown_mode_is_an_error():
    with pytest.raises(ValueError, match="mode must be 'auto', 'min' or 'max'"):
        EarlyStopping(mode="minimum")


# ----- ReduceLROnPlateau ----------------------------------------------------------------------


def learning_rates_used(model, run_epochs, callback, logs):
    """The learning rate each epoch ran with, as recorded in the epoch logs."""
    callbacks = CallbackList([callback], add_history=True, model=model)
    run_epochs(callbacks, logs)
    return callbacks.history.history["learning_rate"]


def test_reduce_lr_multiplies_by_factor_after_patience_flat_epochs(model, run_epochs):
    reduce = ReduceLROnPlateau(factor=0.5, patience=2)
    rates = learning_rates_used(model, run_epochs, reduce, val_losses(1, 1, 1, 1, 1, 1))
    assert rates == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.025])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.025)


def test_reduce_lr_waits_for_cooldown_after_a_reduction(model, run_epochs):
    reduce = ReduceLROnPlateau(factor=0.5, patience=2, cooldown=2)
    rates = learning_rates_used(model, run_epochs, reduce, val_losses(*[1] * 7))
    assert rates == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025])


def test_reduce_lr_keeps_patience_while_improving(model, run_epochs):
    reduce = ReduceLROnPlateau(factor=0.5, patience=1)
    rates = learning_rates_used(model, run_epochs, reduce, val_losses(1.0, 0.9, 0.8, 0.8))
    assert rates == pytest.approx([0.1] * 4)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.05)


def test_reduce_lr_never_goes_below_min_lr(model, run_epochs, capsys):
    reduce = ReduceLROnPlateau(factor=0.1, patience=1, min_lr=0.003, verbose=1)
    learning_rates_used(model, run_epochs, reduce, val_losses(*[1] * 6))
    assert float(model.optimizer.learning_rate) == pytest.approx(0.003)
    out = capsys.readouterr().out
    assert out.count("ReduceLROnPlateau reducing learning rate") == 2  # 0.1 -> 0.01 -> 0.003


def test_reduce_lr_factor_must_be_below_one():
    with pytest.raises(ValueError, match="factor must be below 1"):
        ReduceLROnPlateau(factor=1.5)


# ----- ModelCheckpoint ------------------------------------------------------------------------


def test_checkpoint_fills_in_the_epoch_and_metrics(model, run_epochs, tmp_path):
    template = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.keras")
    run_epochs(CallbackList([ModelCheckpoint(template)], model=model), val_losses(0.5, 0.25))
    assert sorted(os.listdir(tmp_path)) == ["ckpt-01-0.50.keras", "ckpt-02-0.25.keras"]
    assert first_weight(tmp_path / "ckpt-02-0.25.keras") == 1.0


def test_save_best_only_saves_improvements_only(model, run_epochs, tmp_path):
    template = str(tmp_path / "e{epoch}.keras")
    run_epochs(CallbackList([ModelCheckpoint(template, save_best_only=True)], model=model),
               val_losses(0.5, 0.6, 0.4, 0.45))
    assert sorted(os.listdir(tmp_path)) == ["e1.keras", "e3.keras"]

    best = tmp_path / "best.keras"
    run_epochs(CallbackList([ModelCheckpoint(best, save_best_only=True)], model=model),
               val_losses(0.5, 0.6, 0.4, 0.45))
    assert first_weight(best) == 2.0  # the weights of epoch index 2


def test_save_best_only_with_accuracy_and_a_threshold(model, run_epochs, tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "e{epoch}.keras"), monitor="val_accuracy",
                                 save_best_only=True, initial_value_threshold=0.7)
    logs = [{"val_accuracy": value} for value in (0.6, 0.8, 0.75, 0.9)]
    run_epochs(CallbackList([checkpoint], model=model), logs)
    assert sorted(os.listdir(tmp_path)) == ["e2.keras", "e4.keras"]


def test_save_weights_only_writes_weights_files(model, run_epochs, tmp_path):
    path = tmp_path / "new_folder" / "w{epoch}.weights.h5"
    run_epochs(CallbackList([ModelCheckpoint(path, save_weights_only=True)], model=model),
               val_losses(0.5))
    assert first_weight(tmp_path / "new_folder" / "w1.weights.h5") == 0.0


def test_save_freq_in_batches_counts_across_epochs(model, tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "e{epoch}-b{batch}.keras"), save_freq=2)
    callbacks = CallbackList([checkpoint], model=model)
    callbacks.on_train_begin()
    for epoch in range(2):
        callbacks.on_epoch_begin(epoch)
        for batch in range(3):
            callbacks.on_train_batch_end(batch, {"loss": 1.0})
        callbacks.on_epoch_end(epoch, {"loss": 1.0})
    callbacks.on_train_end()
    assert sorted(os.listdir(tmp_path)) == ["e1-b2.keras", "e2-b1.keras", "e2-b3.keras"]


def test_checkpoint_verbose_says_what_it_does(model, run_epochs, tmp_path, capsys):
    checkpoint = ModelCheckpoint(str(tmp_path / "best.keras"), save_best_only=True, verbose=1)
    run_epochs(CallbackList([checkpoint], model=model), val_losses(0.5, 0.6))
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith(
        "Epoch 1: val_loss improved from inf to 0.50000, saving model to")  # Keras's words
    assert "Epoch 2: val_loss did not improve from 0.50000" in out
    assert "saved model to" not in out  # one line per epoch, not two
    assert err == ""


def test_checkpoint_verbose_maximising_starts_from_minus_infinity(model, run_epochs, tmp_path,
                                                                 capsys):
    checkpoint = ModelCheckpoint(str(tmp_path / "best.keras"), monitor="val_loss", mode="max",
                                 save_best_only=True, verbose=1)
    run_epochs(CallbackList([checkpoint], model=model), val_losses(0.5))
    assert "val_loss improved from -inf to 0.50000" in capsys.readouterr().out


def test_checkpoint_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="must end in '.keras'"):
        ModelCheckpoint("model.txt")
    with pytest.raises(ValueError, match="must end in '.weights.h5'"):
        ModelCheckpoint("model.keras", save_weights_only=True)
    with pytest.raises(ValueError, match="save_freq must be 'epoch' or a positive number"):
        ModelCheckpoint("model.keras", save_freq="batch")
    with pytest.raises(ValueError, match="no validation results yet"):
        ModelCheckpoint("model.keras", save_best_only=True, save_freq=5)


def test_checkpoint_template_with_an_unknown_key_is_explained(model, run_epochs, tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "{epoch}-{val_acc:.2f}.keras"))
    with pytest.raises(KeyError, match=r"can't fill in \{val_acc\}.*epoch"):
        run_epochs(CallbackList([checkpoint], model=model), val_losses(0.5))
