"""What a custom step sees and may use: Keras's batch forms, `model.metrics`, and the loss."""

import numpy as np
import pytest
import torch

import minilib
from minilib import layers, ops
from minilib.utils import pack_x_y_sample_weight, unpack_x_y_sample_weight


def dense_model(units=1, features=3):
    inputs = minilib.Input(shape=(features,))
    return minilib.Model(inputs, layers.Dense(units)(inputs))


class OutputPenalty(layers.Layer):
    """Adds the mean square of what passes through as a loss."""

    def call(self, inputs):
        self.add_loss(ops.mean(inputs ** 2))
        return inputs


def test_pack_and_unpack_follow_keras():
    x, y, weights = np.ones(2), np.zeros(2), np.full(2, 0.5)
    assert pack_x_y_sample_weight(x) is x
    assert pack_x_y_sample_weight([x, x]) == ([x, x],)  # several inputs stay together
    assert pack_x_y_sample_weight(x, y) == (x, y)
    assert pack_x_y_sample_weight(x, y, weights) == (x, y, weights)
    assert unpack_x_y_sample_weight(x) == (x, None, None)
    assert unpack_x_y_sample_weight([x, y]) == (x, y, None)
    assert unpack_x_y_sample_weight(([x, x],))[0] == [x, x]
    with pytest.raises(ValueError, match="got a sequence of 4 items"):
        unpack_x_y_sample_weight((x, y, weights, weights))


def test_steps_receive_batches_in_keras_forms():
    seen = []

    class Recording(minilib.Model):
        def train_step(self, data):
            seen.append(("train", type(data).__name__, len(data) if isinstance(data, tuple)
                         else None))
            return super().train_step(data)

        def predict_step(self, data):
            seen.append(("predict", type(data).__name__, None))
            return super().predict_step(data)

    inputs = minilib.Input(shape=(3,))
    model = Recording(inputs, OutputPenalty()(layers.Dense(2)(inputs)))
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 3), dtype="float32"), np.zeros((4, 2), dtype="float32")
    model.fit(x, y, batch_size=4, verbose=0)
    model.fit(x, y, sample_weight=np.ones(4), batch_size=4, verbose=0)
    model.compile(optimizer="sgd")  # add_loss only: fit(x) without targets
    model.fit(x, batch_size=4, verbose=0)
    model.predict(x, verbose=0)
    assert seen == [("train", "tuple", 2), ("train", "tuple", 3), ("train", "Tensor", None),
                    ("predict", "Tensor", None)]


def test_compiled_metrics_form_one_group_as_in_keras():
    model = dense_model(units=3, features=2)
    model.compile(optimizer="sgd",
                  loss=minilib.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"],
                  weighted_metrics=[minilib.metrics.SparseCategoricalAccuracy(name="weighted")])
    loss_tracker, group = model.metrics
    assert (loss_tracker.name, group.name) == ("loss", "compile_metrics")
    assert group.result() == {}  # the metrics are made from the first batch's shapes
    x, y = np.random.default_rng(0).random((8, 2)).astype("float32"), np.arange(8) % 3
    model.fit(x, y, batch_size=4, verbose=0)

    assert [type(m).__name__ for m in group.metrics] == ["SparseCategoricalAccuracy"] * 2
    assert list(model.get_metrics_result()) == ["loss", "accuracy", "weighted"]
    model.reset_metrics()
    assert all(float(v) == 0 for m in group.metrics for v in m.variables)
    assert len(model.evaluate(x, y, verbose=0)) == 1 + len(group.metrics)


def test_without_metrics_only_the_loss_is_tracked():
    model = dense_model()
    model.compile(optimizer="sgd", loss="mse")
    assert model.metrics_names == ["loss"]
    history = model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    assert list(history.history) == ["loss"]


def test_add_loss_alone_trains_like_a_hand_written_torch_step():
    inputs = minilib.Input(shape=(3,))
    dense = layers.Dense(2)
    model = minilib.Model(inputs, OutputPenalty()(dense(inputs)))
    model.compile(optimizer=minilib.optimizers.SGD(learning_rate=0.1))  # no loss=
    x = np.random.default_rng(0).standard_normal((5, 3)).astype("float32")

    kernel = dense.kernel.detach().clone().requires_grad_(True)
    bias = dense.bias.detach().clone().requires_grad_(True)
    expected_loss = torch.mean((torch.as_tensor(x) @ kernel + bias) ** 2)
    expected_loss.backward()
    loss = model.train_on_batch(x)

    np.testing.assert_allclose(loss, expected_loss.item(), rtol=1e-5)
    torch.testing.assert_close(dense.kernel.detach(), (kernel - 0.1 * kernel.grad).detach())
    torch.testing.assert_close(dense.bias.detach(), (bias - 0.1 * bias.grad).detach())
    history = model.fit(x, epochs=5, verbose=0).history
    assert history["loss"][-1] < history["loss"][0]


def test_no_loss_at_all_is_a_clear_error():
    model = dense_model()
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="no loss to minimize: pass `loss=` to compile"):
        model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)


def test_a_loss_that_ignores_the_weights_is_a_clear_error():
    inputs = minilib.Input(shape=(3,))
    model = minilib.Model(inputs, layers.Dense(1)(OutputPenalty()(inputs)))  # penalty on inputs
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="no gradient with respect to the trainable weights"):
        model.fit(np.ones((4, 3)), verbose=0)


def test_a_frozen_model_is_measured_not_trained_as_in_keras():
    model = dense_model()
    model.trainable = False
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()
    x, y = np.ones((4, 3), dtype="float32"), np.zeros((4, 1), dtype="float32")
    with pytest.warns(UserWarning, match="no trainable weights"):
        history = model.fit(x, y, verbose=0)
    expected = np.mean(model.predict(x, verbose=0) ** 2)
    np.testing.assert_allclose(history.history["loss"][0], expected, rtol=1e-5)
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)
