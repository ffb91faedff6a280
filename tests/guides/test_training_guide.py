"""Code in the style of Keras's guide "Training & evaluation with the built-in methods"."""

import os
import re

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

import minilib as keras
from minilib import layers, ops


def digits():
    data = load_digits()
    return data.data.astype("float32") / 16, data.target.astype("int64")


def get_uncompiled_model():
    inputs = keras.Input(shape=(64,), name="digits")
    x = layers.Dense(32, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(32, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def get_compiled_model():
    model = get_uncompiled_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    return model


def test_api_overview_fit_evaluate_predict():
    x, y = digits()
    keras.utils.set_random_seed(0)
    model = get_compiled_model()
    history = model.fit(x[:1000], y[:1000], batch_size=64, epochs=10,
                        validation_data=(x[1000:1300], y[1000:1300]), verbose=0)
    assert set(history.history) == {"loss", "sparse_categorical_accuracy", "val_loss",
                                    "val_sparse_categorical_accuracy"}
    results = model.evaluate(x[1300:], y[1300:], batch_size=128, verbose=0)
    assert results[1] > 0.75
    predictions = model.predict(x[:3], verbose=0)
    assert predictions.shape == (3, 10)
    np.testing.assert_allclose(predictions.sum(axis=1), 1, rtol=1e-5)


@pytest.mark.parametrize("metric", ["accuracy", "acc"])
def test_accuracy_string_resolves_from_label_shapes(metric):
    x, y = digits()
    model = get_uncompiled_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=[metric])
    model.fit(x[:64], y[:64], verbose=0)
    assert isinstance(model.metrics[1].metrics[0], keras.metrics.SparseCategoricalAccuracy)
    assert model.metrics[1].metrics[0].name == metric


def test_custom_loss_function_and_loss_class():
    def custom_mean_squared_error(y_true, y_pred):
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    class CustomMSE(keras.losses.Loss):
        def __init__(self, regularization_factor=0.1, name="custom_mse"):
            super().__init__(name=name)
            self.regularization_factor = regularization_factor

        def call(self, y_true, y_pred):
            mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
            reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
            return mse + reg * self.regularization_factor

    x, y = digits()
    y_one_hot = keras.utils.to_categorical(y, num_classes=10)
    for loss in (custom_mean_squared_error, CustomMSE()):
        model = get_uncompiled_model()
        model.compile(optimizer=keras.optimizers.Adam(), loss=loss)
        history = model.fit(x[:512], y_one_hot[:512], batch_size=64, epochs=2, verbose=0)
        assert history.history["loss"][-1] < history.history["loss"][0]


def test_custom_metric_subclass():
    class CategoricalTruePositives(keras.metrics.Metric):
        def __init__(self, name="categorical_true_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
            values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
            values = ops.cast(values, "float32")
            if sample_weight is not None:
                values = ops.multiply(values, ops.cast(sample_weight, "float32"))
            self.true_positives.assign_add(ops.sum(values))

        def result(self):
            return self.true_positives.value

        def reset_state(self):
            self.true_positives.assign(0.0)

    x, y = digits()
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[CategoricalTruePositives(), "sparse_categorical_accuracy"])
    history = model.fit(x[:256], y[:256].reshape(-1, 1), batch_size=64, epochs=2, verbose=0)
    # Each epoch starts from zero and counts the samples predicted right: accuracy times 256.
    np.testing.assert_allclose(history.history["categorical_true_positives"],
                               np.array(history.history["sparse_categorical_accuracy"]) * 256,
                               rtol=1e-6)
    logs = model.evaluate(x[256:512], y[256:512].reshape(-1, 1), verbose=0, return_dict=True)
    predicted = model.predict(x[256:512], verbose=0).argmax(axis=1)
    right = int(np.sum(predicted == y[256:512]))
    assert right > 0 and logs["categorical_true_positives"] == right


def test_a_layer_can_add_a_regularization_loss_to_the_objective():
    class SumPenalty(layers.Layer):
        """Passes its input through and adds a tenth of its sum to the loss."""

        def call(self, inputs):
            self.add_loss(ops.sum(inputs) * 0.1)
            return inputs

    inputs = keras.Input(shape=(64,), name="digits")
    hidden = layers.Dense(8, activation="relu", name="dense_1")(inputs)
    hidden = SumPenalty()(hidden)
    outputs = layers.Dense(10, name="predictions")(hidden)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x, y = digits()
    logs = model.fit(x[:32], y[:32], batch_size=32, epochs=1, verbose=0).history
    cross_entropy = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
        y[:32], model(x[:32]))
    penalty = 0.1 * model.get_layer("dense_1")(x[:32]).sum()
    np.testing.assert_allclose(logs["loss"][0], float((cross_entropy + penalty).detach()),
                               rtol=1e-5)


def test_an_endpoint_layer_computes_the_loss_from_a_targets_input():
    class LogisticEndpoint(layers.Layer):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

        def call(self, targets, logits, sample_weights=None):
            self.add_loss(self.loss_fn(targets, logits, sample_weights))
            return ops.softmax(logits)  # what predict() returns

    inputs = keras.Input(shape=(3,), name="inputs")
    targets = keras.Input(shape=(10,), name="targets")
    logits = layers.Dense(10)(inputs)
    predictions = LogisticEndpoint(name="predictions")(targets, logits)
    model = keras.Model(inputs=[inputs, targets], outputs=predictions)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0))  # no loss argument
    rng = np.random.default_rng(0)
    data = {"inputs": rng.random((3, 3)).astype("float32"),
            "targets": rng.random((3, 10)).astype("float32")}
    logs = model.fit(data, verbose=0).history  # no y: the targets are an input
    expected = keras.losses.BinaryCrossentropy(from_logits=True)(
        data["targets"], model.layers[2](data["inputs"]))
    np.testing.assert_allclose(logs["loss"][0], float(expected.detach()), rtol=1e-5)
    np.testing.assert_allclose(model.predict(data, verbose=0).sum(axis=1), 1, rtol=1e-5)


class CountBatches(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.train, self.test = 0, 0

    def on_train_batch_end(self, batch, logs=None):
        self.train += 1

    def on_test_batch_end(self, batch, logs=None):
        self.test += 1


def test_validation_split_steps_per_epoch_and_validation_steps():
    x, y = digits()
    model = get_compiled_model()
    counter = CountBatches()
    model.fit(x[:320], y[:320], batch_size=64, validation_split=0.2, epochs=1, verbose=0,
              callbacks=[counter])
    assert (counter.train, counter.test) == (4, 1)  # the last 20% (64 samples) validates

    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x[:640]), torch.from_numpy(y[:640])),
        batch_size=64, shuffle=True)
    counter = CountBatches()
    history = model.fit(loader, epochs=2, steps_per_epoch=3, validation_data=loader,
                        validation_steps=2, verbose=0, callbacks=[counter])
    assert (counter.train, counter.test) == (2 * 3, 2 * 2)
    assert len(history.history["val_loss"]) == 2
    result = model.evaluate(loader, verbose=0)
    assert dict(zip(model.metrics_names, result, strict=True)).keys() == {
        "loss", "compile_metrics"}


def test_training_from_a_py_dataset():
    class ExamplePyDataset(keras.utils.PyDataset):
        def __init__(self, x, y, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y, self.batch_size = x, y, batch_size

        def __len__(self):
            return int(np.ceil(len(self.x) / float(self.batch_size)))

        def __getitem__(self, idx):
            batch = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
            return self.x[batch], self.y[batch]

    x, y = digits()
    model = get_compiled_model()
    history = model.fit(ExamplePyDataset(x[:500], y[:500], batch_size=64), epochs=2,
                        validation_data=ExamplePyDataset(x[500:600], y[500:600], 64),
                        verbose=0)
    assert len(history.history["val_loss"]) == 2
    threaded = ExamplePyDataset(x[:500], y[:500], batch_size=64, workers=4)
    assert threaded.workers == 4
    model.fit(threaded, epochs=1, verbose=0)
    assert len(model.evaluate(ExamplePyDataset(x[500:600], y[500:600], 64), verbose=0)) == 2


def test_class_weights_and_sample_weights():
    # The guide's claim: weighing class 5 twice with class_weight is the same as giving each
    # sample of class 5 a sample_weight of 2.
    x, y = digits()
    class_weight = {i: 1.0 for i in range(10)}
    class_weight[5] = 2.0
    sample_weight = np.ones(256)
    sample_weight[y[:256] == 5] = 2.0

    def train(**weighting):
        keras.utils.set_random_seed(0)  # the same initial weights and the same shuffles
        model = get_compiled_model()
        history = model.fit(x[:256], y[:256], batch_size=64, epochs=2, verbose=0, **weighting)
        return history.history["loss"], model.get_weights()

    by_class, weights_by_class = train(class_weight=class_weight)
    by_sample, weights_by_sample = train(sample_weight=sample_weight)
    unweighted, _ = train()
    np.testing.assert_allclose(by_class, by_sample, rtol=1e-6)
    for from_classes, from_samples in zip(weights_by_class, weights_by_sample, strict=True):
        np.testing.assert_allclose(from_classes, from_samples, rtol=1e-5, atol=1e-6)
    assert by_class[0] > unweighted[0]  # the fives count twice, so the weights did something


def test_a_dataset_can_carry_sample_weights_as_a_third_element():
    x, y = digits()
    sample_weight = np.ones(len(y[:128]), dtype="float32")
    sample_weight[y[:128] == 5] = 2.0
    triples = torch.utils.data.TensorDataset(torch.from_numpy(x[:128]),
                                             torch.from_numpy(y[:128]),
                                             torch.from_numpy(sample_weight))
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0),
                  loss="sparse_categorical_crossentropy")
    logs = model.fit(torch.utils.data.DataLoader(triples, batch_size=128), verbose=0).history
    per_sample = keras.losses.SparseCategoricalCrossentropy(reduction=None)(
        y[:128], model.predict(x[:128], verbose=0))
    expected = np.sum(per_sample.numpy() * sample_weight) / 128
    np.testing.assert_allclose(logs["loss"][0], expected, rtol=1e-5)


def test_passing_data_to_multi_input_multi_output_models():
    image_input = keras.Input(shape=(16,), name="img_input")
    timeseries_input = keras.Input(shape=(8,), name="ts_input")
    x = layers.concatenate([layers.Dense(4)(image_input), layers.Dense(4)(timeseries_input)])
    score_output = layers.Dense(1, name="score_output")(x)
    class_output = layers.Dense(5, name="class_output")(x)
    model = keras.Model(inputs=[image_input, timeseries_input],
                        outputs=[score_output, class_output])
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss=[keras.losses.MeanSquaredError(),
                        keras.losses.CategoricalCrossentropy(from_logits=True)],
                  metrics=[[keras.metrics.MeanAbsolutePercentageError(),
                            keras.metrics.MeanAbsoluteError()],
                           [keras.metrics.CategoricalAccuracy()]])
    rng = np.random.default_rng(0)
    img_data = rng.random((100, 16)).astype("float32")
    ts_data = rng.random((100, 8)).astype("float32")
    score_targets = rng.random((100, 1)).astype("float32")
    class_targets = rng.random((100, 5)).astype("float32")
    history = model.fit({"img_input": img_data, "ts_input": ts_data},
                        {"score_output": score_targets, "class_output": class_targets},
                        batch_size=32, epochs=1, verbose=0)
    assert "class_output_categorical_accuracy" in history.history
    assert "score_output_mean_absolute_error" in history.history


def test_an_output_without_a_loss_is_left_out_of_training():
    image_input = keras.Input(shape=(8, 8, 3), name="img_input")
    timeseries_input = keras.Input(shape=(None, 4), name="ts_input")
    x1 = layers.GlobalMaxPooling2D()(layers.Conv2D(3, 3)(image_input))
    x2 = layers.GlobalMaxPooling1D()(layers.Conv1D(3, 3)(timeseries_input))
    x = layers.concatenate([x1, x2])
    model = keras.Model(inputs=[image_input, timeseries_input],
                        outputs=[layers.Dense(1, name="score_output")(x),
                                 layers.Dense(5, name="class_output")(x)])
    rng = np.random.default_rng(0)
    data = [rng.random((20, 8, 8, 3)).astype("float32"), rng.random((20, 6, 4)).astype("float32")]
    targets = [rng.random((20, 1)).astype("float32"), rng.random((20, 5)).astype("float32")]
    # The guide's two spellings. (Keras 3.15 rejects the dict one, which names only one of
    # the two outputs; minilib accepts it and treats the missing output as having no loss.)
    for loss in ([None, keras.losses.CategoricalCrossentropy(from_logits=True)],
                 {"class_output": keras.losses.CategoricalCrossentropy(from_logits=True)}):
        model.compile(optimizer=keras.optimizers.RMSprop(1e-3), loss=loss)
        history = model.fit(data, targets, batch_size=10, epochs=1, verbose=0).history
        assert list(history) == ["loss"]  # one loss: no per-output breakdown, as in Keras


def test_early_stopping_and_checkpoints_and_schedules(tmp_path):
    x, y = digits()
    initial_learning_rate = 0.1
    lr_schedule = keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate, decay_steps=100000, decay_rate=0.96, staircase=True)
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr_schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=1e-2, patience=2),
        keras.callbacks.ModelCheckpoint(filepath=str(tmp_path / "model_{epoch}.keras"),
                                        save_best_only=True, monitor="val_loss"),
    ]
    history = model.fit(x[:512], y[:512], epochs=20, batch_size=64, callbacks=callbacks,
                        validation_split=0.2, verbose=0)
    assert 1 <= len(history.history["loss"]) <= 20
    saved = sorted(p.name for p in tmp_path.iterdir())
    assert saved and all(name.startswith("model_") for name in saved)


def test_checkpoints_every_n_batches_and_restoring_the_latest(tmp_path):
    x, y = digits()
    checkpoint_dir = tmp_path / "ckpt"
    checkpoint_dir.mkdir()

    def make_or_restore_model():
        checkpoints = [checkpoint_dir / name for name in os.listdir(checkpoint_dir)]
        if checkpoints:
            return keras.models.load_model(max(checkpoints, key=os.path.getctime))
        return get_compiled_model()

    model = make_or_restore_model()
    saver = keras.callbacks.ModelCheckpoint(
        filepath=str(checkpoint_dir / "model-loss={loss:.2f}.keras"), save_freq=8)
    model.fit(x[:256], y[:256], batch_size=32, epochs=1, verbose=0, callbacks=[saver])
    saved = sorted(os.listdir(checkpoint_dir))
    assert saved and all(re.fullmatch(r"model-loss=\d+\.\d\d\.keras", name) for name in saved)
    restored = make_or_restore_model()
    assert restored is not model
    assert restored.count_params() == model.count_params()
    assert restored.optimizer is not None  # compiled, ready to go on training


def test_learning_rate_schedule_and_tensorboard_logs(tmp_path):
    lr_schedule = keras.optimizers.schedules.ExponentialDecay(
        0.1, decay_steps=2, decay_rate=0.5, staircase=True)
    optimizer = keras.optimizers.RMSprop(learning_rate=lr_schedule)
    model = get_uncompiled_model()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    board = keras.callbacks.TensorBoard(log_dir=str(tmp_path / "logs"), histogram_freq=0,
                                        embeddings_freq=0, update_freq="epoch")
    x, y = digits()
    model.fit(x[:128], y[:128], batch_size=32, epochs=1, verbose=0, callbacks=[board])
    np.testing.assert_allclose(float(optimizer.learning_rate), 0.1 * 0.5 ** 2, rtol=1e-6)
    assert any((tmp_path / "logs" / "train").iterdir())
