"""fit/evaluate/predict: convergence, Keras's argument semantics, and data formats."""

import numpy as np
import pytest
import torch

import minilib
from minilib import layers


def blobs(n=300, seed=0):
    """Three well separated clusters in 2-D: an easy classification problem."""
    rng = np.random.default_rng(seed)
    centers = np.array([[0, 4], [4, -2], [-4, -2]], dtype="float32")
    y = rng.integers(0, 3, n)
    x = centers[y] + rng.standard_normal((n, 2)).astype("float32") * 0.7
    return x, y


def classifier(seed=0):
    minilib.utils.set_random_seed(seed)
    model = minilib.Sequential([minilib.Input(shape=(2,)), layers.Dense(16, activation="relu"),
                                layers.Dense(3)])
    model.compile(optimizer=minilib.optimizers.Adam(0.02),
                  loss=minilib.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def test_fit_converges_and_history_has_keras_keys():
    x, y = blobs()
    history = classifier().fit(x, y, epochs=15, batch_size=32, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 15 and history.epoch == list(range(15))
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    assert history.history["val_accuracy"][-1] > 0.95


def test_regression_with_mse_converges():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((256, 3)).astype("float32")
    y = x @ np.array([[1.5], [-2.0], [0.5]], dtype="float32") + 0.3
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(1)])
    model.compile(optimizer=minilib.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=30, verbose=0)
    loss, mae = model.evaluate(x, y, verbose=0)
    assert loss < 1e-3 and mae < 0.03
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(kernel.ravel(), [1.5, -2.0, 0.5], atol=0.02)


def test_validation_split_takes_the_last_samples_before_shuffling():
    x = np.arange(10, dtype="float32").reshape(10, 1)
    y = np.arange(10, dtype="float32").reshape(10, 1)
    seen = []

    class Recorder(minilib.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, inputs, training=None):
            if not training:
                seen.extend(inputs.ravel().tolist())
            return self.dense(inputs)

    model = Recorder()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, validation_split=0.25, batch_size=4, verbose=0)
    # n - floor(n * (1 - split)) = 10 - floor(7.5) = 3 samples are held out: the last three.
    assert seen == [7.0, 8.0, 9.0]


def test_evaluate_returns_scalar_list_or_dict():
    x, y = blobs(64)
    model = classifier()
    loss, accuracy = model.evaluate(x, y, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "accuracy"]
    assert logs["loss"] == pytest.approx(loss) and logs["accuracy"] == pytest.approx(accuracy)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert isinstance(model.evaluate(x, y, verbose=0), float)


def test_evaluate_loss_equals_torch_mean_cross_entropy():
    x, y = blobs(100)
    model = classifier()
    loss = model.evaluate(x, y, batch_size=7, verbose=0, return_dict=True)["loss"]
    logits = model(x).detach()
    expected = torch.nn.functional.cross_entropy(logits, torch.as_tensor(y)).item()
    assert loss == pytest.approx(expected, rel=1e-5)


def test_predict_returns_numpy_in_order():
    x, _ = blobs(70)
    model = classifier()
    predictions = model.predict(x, batch_size=16, verbose=0)
    assert isinstance(predictions, np.ndarray) and predictions.shape == (70, 3)
    np.testing.assert_allclose(predictions, model(x).detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), predictions[:5], rtol=1e-5)


def test_sample_weight_zero_removes_samples_from_loss():
    x, y = blobs(40)
    model = classifier()
    weights = np.r_[np.ones(20), np.zeros(20)].astype("float32")
    weighted = model.evaluate(x, y, sample_weight=weights, batch_size=40, verbose=0)[0]
    first_half = model.evaluate(x[:20], y[:20], batch_size=40, verbose=0)[0]
    # Keras divides the weighted sum by the batch size, not by the sum of weights.
    assert weighted == pytest.approx(first_half / 2, rel=1e-5)


def test_class_weight_multiplies_each_sample_loss_by_the_weight_of_its_label():
    x, y = blobs(60)
    model = classifier()
    # Distinct weights, keys out of order: a table filled in the dict's order, indexed by
    # sample position or shifted by one class gives other numbers.
    class_weight = {2: 3.0, 0: 0.5, 1: 1.25}
    per_sample = torch.nn.functional.cross_entropy(model(x).detach(), torch.as_tensor(y),
                                                   reduction="none")
    label_weights = torch.tensor([class_weight[label] for label in y.tolist()])
    # Keras turns class_weight into one sample_weight per sample, the weight of its label,
    # and divides the weighted sum by the number of samples, not by the sum of the weights.
    expected = (label_weights * per_sample).sum().item() / len(y)
    before = model.get_weights()
    loss = model.train_on_batch(x, y, class_weight=class_weight)[0]  # before the update
    assert loss == pytest.approx(expected, rel=1e-5)
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(),
                                                         strict=True))
    model = classifier()
    history = model.fit(x, y, class_weight=class_weight, batch_size=60, shuffle=False,
                        verbose=0)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)


def test_a_class_left_out_of_class_weight_weighs_one_as_in_keras():
    x, y = blobs(60)
    model = classifier()
    per_sample = torch.nn.functional.cross_entropy(model(x).detach(), torch.as_tensor(y),
                                                   reduction="none")
    expected = (torch.where(torch.as_tensor(y) == 0, 2.0, 1.0) * per_sample).mean().item()
    weighted = model.train_on_batch(x, y, class_weight={0: 2.0})[0]  # labels 1, 2: no key
    assert weighted == pytest.approx(expected, rel=1e-5)
    assert weighted != pytest.approx(per_sample.mean().item(), rel=1e-2)


def test_class_weight_and_sample_weight_together_are_refused_as_in_keras():
    x, y = blobs(12)
    with pytest.raises(ValueError, match="class_weight and sample_weight cannot be used "
                                         "together"):
        classifier().fit(x, y, sample_weight=np.ones(12), class_weight={0: 2.0}, verbose=0)


def test_initial_epoch_and_shuffle_false_are_deterministic():
    x, y = blobs(64)
    first = classifier(seed=3).fit(x, y, epochs=3, shuffle=False, verbose=0).history["loss"]
    second = classifier(seed=3).fit(x, y, epochs=3, shuffle=False, verbose=0).history["loss"]
    assert first == second
    resumed = classifier(seed=3).fit(x, y, epochs=3, initial_epoch=2, verbose=0)
    assert resumed.epoch == [2]


def test_set_random_seed_makes_shuffled_training_repeat_exactly():
    x, y = blobs(64)
    runs = [classifier(seed=5).fit(x, y, epochs=2, verbose=0).history["loss"] for _ in range(2)]
    assert runs[0] == runs[1]


def test_multi_input_multi_output_training_with_dicts_and_loss_weights():
    rng = np.random.default_rng(0)
    a = minilib.Input(shape=(4,), name="a")
    b = minilib.Input(shape=(3,), name="b")
    hidden = layers.Dense(8, activation="relu")(layers.concatenate([a, b]))
    score = layers.Dense(1, name="score")(hidden)
    kind = layers.Dense(2, name="kind")(hidden)
    model = minilib.Model([a, b], [score, kind])
    model.compile(optimizer="adam",
                  loss={"score": "mse",
                        "kind": minilib.losses.SparseCategoricalCrossentropy(from_logits=True)},
                  loss_weights={"score": 1.0, "kind": 0.5},
                  metrics={"kind": ["accuracy"]})
    data = {"a": rng.standard_normal((32, 4)), "b": rng.standard_normal((32, 3))}
    targets = {"score": rng.standard_normal((32, 1)), "kind": rng.integers(0, 2, 32)}
    history = model.fit(data, targets, epochs=2, batch_size=8, verbose=0)
    assert set(history.history) == {"loss", "score_loss", "kind_loss", "kind_accuracy"}
    logs = model.evaluate(data, targets, batch_size=32, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(logs["score_loss"] + 0.5 * logs["kind_loss"], rel=1e-5)


def test_add_loss_and_regularizers_enter_the_training_loss():
    x = np.ones((8, 2), dtype="float32")
    model = minilib.Sequential([minilib.Input(shape=(2,)),
                                layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros",
                                             kernel_regularizer=minilib.regularizers.L2(0.25))])
    model.compile(optimizer="sgd", loss="mse")
    y = np.full((8, 1), 2.0, dtype="float32")  # predictions are exactly 2: data loss is 0
    assert model.evaluate(x, y, verbose=0) == pytest.approx(0.25 * 2)


def test_fit_with_a_py_dataset_and_a_torch_dataloader():
    x, y = blobs(96)

    class Batches(minilib.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, index):
            return x[index * 32:(index + 1) * 32], y[index * 32:(index + 1) * 32]

    model = classifier()
    assert len(model.fit(Batches(), epochs=2, verbose=0).history["loss"]) == 2
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.as_tensor(x), torch.as_tensor(y)), batch_size=32)
    history = model.fit(loader, epochs=2, validation_data=loader, verbose=0)
    assert "val_accuracy" in history.history
    assert model.predict(loader, verbose=0).shape == (96, 3)


def test_fit_with_a_generator_needs_steps_per_epoch():
    x, y = blobs(64)

    def endless():
        while True:
            for start in range(0, 64, 16):
                yield x[start:start + 16], y[start:start + 16]

    model = classifier()
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(endless(), epochs=1, verbose=0)
    history = model.fit(endless(), steps_per_epoch=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_subclassed_model_with_custom_train_step():
    class CountingModel(minilib.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.steps = 0

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, data):
            self.steps += 1
            return super().train_step(data)

    model = CountingModel()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((10, 2)), np.ones((10, 1)), batch_size=5, epochs=3, verbose=0)
    assert model.steps == 6


def test_errors_before_compile_and_for_empty_or_mismatched_data():
    model = minilib.Sequential([minilib.Input(shape=(2,)), layers.Dense(1)])
    with pytest.raises(RuntimeError, match="must be compiled before fit"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)))
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="same number of samples"):
        model.fit(np.ones((4, 2)), np.ones((5, 1)), verbose=0)
    with pytest.raises(ValueError, match="leaves no samples"):
        model.fit(np.ones((1, 2)), np.ones((1, 1)), validation_split=0.5, verbose=0)
    with pytest.raises(TypeError, match="Unsupported input data"):
        model.fit("data.csv", verbose=0)


def test_a_wrong_label_shape_names_the_loss():
    model = classifier()
    x, y = blobs(16)
    with pytest.raises(ValueError, match="SparseCategoricalCrossentropy"):
        model.fit(x, np.eye(3)[y], verbose=0)


def test_stop_training_from_a_callback_ends_fit():
    class StopAfterTwoBatches(minilib.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                self.model.stop_training = True

    x, y = blobs(128)
    history = classifier().fit(x, y, epochs=5, callbacks=[StopAfterTwoBatches()], verbose=0)
    assert len(history.history["loss"]) == 1


def test_model_metrics_and_names():
    x, y = blobs(32)
    model = classifier()
    model.fit(x, y, epochs=1, verbose=0)
    assert model.metrics_names == ["loss", "compile_metrics"]  # as in Keras 3
    assert isinstance(model.metrics[1].metrics[0], minilib.metrics.SparseCategoricalAccuracy)
    assert list(model.get_metrics_result()) == ["loss", "accuracy"]


def test_metric_names_that_collide_get_keras_suffixes():
    # Two outputs of one layer share its name; Keras 3.15 logs exactly these keys.
    sequence = minilib.Input(shape=(5, 3))
    output, _, cell_state = layers.LSTM(2, return_state=True, name="enc")(sequence)
    model = minilib.Model(sequence, [output, cell_state])
    model.compile(optimizer="adam", loss="mse", metrics=[["mae", "mae"], ["mae"]],
                  weighted_metrics=[["mae"], ["mae"]])
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 5, 3)), [rng.random((8, 2)), rng.random((8, 2))]
    history = model.fit(x, y, batch_size=4, verbose=0)
    assert sorted(history.history) == ["enc_loss", "enc_mae", "enc_mae_1", "enc_mae_2",
                                       "enc_weighted_mae", "enc_weighted_mae_1", "loss"]
    single = minilib.Sequential([minilib.Input((3,)), layers.Dense(1)])
    single.compile(optimizer="adam", loss="mse", metrics=["mae"], weighted_metrics=["mae"])
    assert sorted(single.fit(np.zeros((4, 3)), np.zeros((4, 1)), verbose=0).history) == [
        "loss", "mae", "weighted_mae"]
