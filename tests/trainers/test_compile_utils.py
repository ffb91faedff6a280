"""How compile's losses and metrics line up with a model's outputs, as in Keras 3.

Which per-output losses fit logs: only with more than one active loss. Which metrics serve
which output: a list holds one entry per output; a dict names the outputs.
"""

import numpy as np

import minilib as keras
from minilib import layers


def two_output_model():
    inputs = keras.Input(shape=(4,), name="x")
    hidden = layers.Dense(3)(inputs)
    return keras.Model(inputs, [layers.Dense(1, name="score")(hidden),
                                layers.Dense(2, name="label")(hidden)])


def data():
    rng = np.random.default_rng(0)
    x = rng.random((8, 4)).astype("float32")
    return x, [rng.random((8, 1)).astype("float32"), rng.random((8, 2)).astype("float32")]


def fit_logs(model, loss):
    """One full-batch step with a learning rate of 0, so the logs match a later predict."""
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss=loss)
    x, targets = data()
    return model.fit(x, targets, batch_size=8, verbose=0).history


def test_two_losses_log_each_output_loss_and_their_sum():
    logs = fit_logs(two_output_model(), ["mse", "mae"])
    assert sorted(logs) == ["label_loss", "loss", "score_loss"]
    np.testing.assert_allclose(logs["loss"][0], logs["score_loss"][0] + logs["label_loss"][0],
                               rtol=1e-6)


def test_an_output_whose_loss_is_none_is_not_logged_and_one_loss_needs_no_breakdown():
    model = two_output_model()
    with_none = fit_logs(model, [None, "mae"])
    assert list(with_none) == ["loss"]  # Keras 3.15 logs the same single key
    x, (_, label_target) = data()
    label_prediction = model.predict(x, verbose=0)[1]
    np.testing.assert_allclose(with_none["loss"][0],
                               np.abs(label_prediction - label_target).mean(), rtol=1e-5)
    assert list(fit_logs(model, {"label": "mae"})) == ["loss"]


def metric_logs(metrics):
    model = two_output_model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss=["mse", "mse"], metrics=metrics)
    x, targets = data()
    logs = model.fit(x, targets, batch_size=8, verbose=0).history
    return model, x, targets, logs


def test_a_list_of_metrics_holds_one_entry_per_output():
    model, x, (score, label), logs = metric_logs(["mae", ["mse", "mae"]])
    assert sorted(logs) == ["label_loss", "label_mae", "label_mse", "loss", "score_loss",
                            "score_mae"]
    predicted_score, predicted_label = model.predict(x, verbose=0)
    np.testing.assert_allclose(logs["score_mae"][0], np.abs(predicted_score - score).mean(),
                               rtol=1e-5)
    np.testing.assert_allclose(logs["label_mse"][0], ((predicted_label - label) ** 2).mean(),
                               rtol=1e-5)


def test_a_dict_of_metrics_names_the_outputs():
    *_, logs = metric_logs({"label": "mae"})
    assert sorted(logs) == ["label_loss", "label_mae", "loss", "score_loss"]


def test_a_list_of_another_length_serves_every_output_as_in_tf_keras():
    """Keras 3 refuses this; keras.io's RNN guide writes it (see test_rnn_guide.py)."""
    *_, logs = metric_logs(["mae"])
    assert sorted(logs) == ["label_loss", "label_mae", "loss", "score_loss", "score_mae"]
