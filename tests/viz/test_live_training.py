"""LiveTraining records the real history and plots exactly it, with its events marked."""

import numpy as np

import minilib as keras
from minilib.viz import LiveTraining
from tests.viz.helpers import moons_model


def lines_by_label(axes):
    return {line.get_label(): line for line in axes.get_lines()}


def test_curves_are_the_history_of_fit():
    model, x, y = moons_model()
    live = LiveTraining()
    history = model.fit(x, y, epochs=3, batch_size=40, validation_split=0.25, verbose=0,
                        callbacks=[live])
    assert live.history == history.history
    figure = live.figure()
    assert [axes.get_title() for axes in figure.axes] == ["loss", "accuracy"]
    lines = lines_by_label(figure.axes[0])
    np.testing.assert_array_equal(lines["loss"].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(lines["loss"].get_ydata(), history.history["loss"])
    np.testing.assert_allclose(lines["val_loss"].get_ydata(), history.history["val_loss"])
    assert live.events == [] and "loss (per batch)" not in lines


def test_per_batch_points_fill_each_epoch():
    model, x, y = moons_model()
    live = LiveTraining(per_batch=True, metrics=["loss"])
    model.fit(x, y, epochs=2, batch_size=50, verbose=0, callbacks=[live])  # 4 batches/epoch
    xs, values = zip(*live.batch_history["loss"], strict=True)
    np.testing.assert_allclose(xs, [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0])
    assert values[3] == live.history["loss"][0]  # the last running average is the epoch's
    figure = live.figure()
    assert len(figure.axes) == 1
    np.testing.assert_allclose(lines_by_label(figure.axes[0])["loss (per batch)"].get_ydata(),
                               values)


def test_learning_rate_changes_and_early_stopping_are_marked():
    model, x, y = moons_model()
    live = LiveTraining()
    halve_after_two = keras.callbacks.LearningRateScheduler(
        lambda epoch, rate: rate / 2 if epoch == 2 else rate)
    never_improves = keras.callbacks.EarlyStopping(monitor="loss", min_delta=10, patience=3)
    model.fit(x, y, epochs=20, verbose=0, callbacks=[live, halve_after_two, never_improves])
    np.testing.assert_allclose(live.learning_rates, [0.2, 0.2, 0.1, 0.1], rtol=1e-6)
    assert live.events == [(2, "lr 0.2 → 0.1"), (4, "stopped early")]
    axes = live.figure().axes[0]
    assert sorted(line.get_xdata()[0] for line in axes.get_lines()
                  if line.get_label().startswith("_")) == [2, 4]
    assert {text.get_text() for text in axes.texts} == {"lr 0.2 → 0.1", "stopped early"}


def test_several_fits_continue_one_plot_until_reset():
    model, x, y = moons_model()
    live = LiveTraining()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[live])
    model.fit(x, y, epochs=1, verbose=0, callbacks=[live])
    assert live.epochs == 3 and len(live.history["loss"]) == 3
    live.reset()
    assert live.epochs == 0 and "waiting" in live.figure().axes[0].texts[0].get_text()


def test_redraws_during_fit_are_throttled_and_the_last_one_shows_everything():
    model, x, y = moons_model()
    live = LiveTraining()
    assert live.widget is not None  # as if displayed: refresh() now draws
    drawn = []
    draw = live.figure
    live.figure = lambda: drawn.append(live.epochs) or draw()
    model.fit(x, y, epochs=30, batch_size=200, verbose=0, callbacks=[live])
    assert 1 <= len(drawn) < 30  # an epoch of 200 samples is far quicker than a redraw
    assert drawn[-1] == 30  # training's end always redraws
