"""Keras's "Introduction to Keras for engineers" (Keras 3), retold with `import minilib as keras`.

The guide trains a small convnet on MNIST; here the digits are a few random 28x28
images, so the tests check the mechanics the guide shows (shapes, parameter counts,
logs, checkpoints, reloading, custom layers, DataLoaders), not the accuracy.
"""

import numpy as np
import pytest
import torch

import minilib as keras

NUM_CLASSES = 10


@pytest.fixture
def digits():
    """Random stand-ins for MNIST, scaled and given a channel axis as the guide does."""
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, (40, 28, 28), dtype=np.uint8)
    y_train = rng.integers(0, NUM_CLASSES, (40,), dtype=np.uint8)
    x_test = rng.integers(0, 256, (8, 28, 28), dtype=np.uint8)
    y_test = rng.integers(0, NUM_CLASSES, (8,), dtype=np.uint8)
    x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
    x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
    return x_train, y_train, x_test, y_test


def compile_for_digits(model):
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(),
                  optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")])


@pytest.mark.slow  # two epochs of a 260k-parameter convnet: several seconds on a CPU
def test_a_first_convnet_trains_checkpoints_saves_and_reloads(digits, tmp_path, monkeypatch):
    x_train, y_train, x_test, y_test = digits
    assert x_train.shape == (40, 28, 28, 1) and x_train.dtype == np.float32
    model = keras.Sequential([
        keras.layers.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Conv2D(128, kernel_size=(3, 3), activation="relu"),
        keras.layers.Conv2D(128, kernel_size=(3, 3), activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ])
    lines = []
    model.summary(print_fn=lines.append)
    assert any("Total params: 260,298" in line for line in lines)
    assert [layer.output.shape for layer in model.layers[:4]] == [
        (None, 26, 26, 64), (None, 24, 24, 64), (None, 12, 12, 64), (None, 10, 10, 128)]

    compile_for_digits(model)
    monkeypatch.chdir(tmp_path)  # the checkpoint path is relative, as in the guide
    callbacks = [keras.callbacks.ModelCheckpoint(filepath="model_at_epoch_{epoch}.keras"),
                 keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)]
    history = model.fit(x_train, y_train, batch_size=16, epochs=2, validation_split=0.15,
                        callbacks=callbacks, verbose=0)
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "model_at_epoch_1.keras", "model_at_epoch_2.keras"]  # epochs count from 1
    score = model.evaluate(x_test, y_test, verbose=0)
    assert len(score) == 2 and 0.0 <= score[1] <= 1.0

    model.save("final_model.keras")
    reloaded = keras.saving.load_model("final_model.keras")
    predictions = reloaded.predict(x_test, verbose=0)
    assert predictions.shape == (8, NUM_CLASSES)
    np.testing.assert_allclose(predictions.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(predictions, model.predict(x_test, verbose=0), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(reloaded.evaluate(x_test, y_test, verbose=0), score, rtol=1e-5)


class MyDense(keras.layers.Layer):
    def __init__(self, units, activation=None, name=None):
        super().__init__(name=name)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer=keras.initializers.GlorotNormal(),
                                 name="kernel", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer=keras.initializers.Zeros(),
                                 name="bias", trainable=True)

    def call(self, inputs):
        return self.activation(keras.ops.matmul(inputs, self.w) + self.b)


class MyDropout(keras.layers.Layer):
    def __init__(self, rate, name=None):
        super().__init__(name=name)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        return keras.random.dropout(inputs, self.rate, seed=self.seed_generator)


class MyModel(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.conv_base = keras.Sequential([
            keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Conv2D(128, kernel_size=(3, 3), activation="relu"),
            keras.layers.Conv2D(128, kernel_size=(3, 3), activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
        ])
        self.dp = MyDropout(0.5)
        self.dense = MyDense(num_classes, activation="softmax")

    def call(self, x):
        return self.dense(self.dp(self.conv_base(x)))


def test_custom_dense_is_softmax_of_an_affine_map():
    layer = MyDense(4, activation="softmax")
    x = np.random.default_rng(1).standard_normal((3, 5)).astype("float32")
    out = layer(x)
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    assert not layer.b.numpy().any()  # Zeros()
    expected = torch.softmax(torch.as_tensor(x) @ layer.w.detach() + layer.b.detach(), dim=-1)
    torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-6)


def test_custom_dropout_draws_a_fresh_mask_each_call_from_its_seed_generator():
    ones = np.ones((64, 64), dtype="float32")
    first, second = MyDropout(0.5), MyDropout(0.5)
    a, b = first(ones), first(ones)
    assert set(np.unique(a.numpy())) == {0.0, 2.0}  # kept values scaled by 1 / (1 - rate)
    assert 0.4 < (a == 0).float().mean().item() < 0.6
    assert not torch.equal(a, b)  # the generator moves on
    torch.testing.assert_close(second(ones), a)  # the same seed replays the same masks


def test_the_subclassed_model_trains_on_arrays_and_on_torch_dataloaders(digits):
    x_train, y_train, x_test, y_test = digits
    model = MyModel(num_classes=NUM_CLASSES)
    compile_for_digits(model)
    history = model.fit(x_train, y_train, batch_size=16, epochs=1, validation_split=0.15,
                        verbose=0)
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert len(model.weights) == 10  # four convolutions and MyDense, two weights each

    train_dataloader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train)),
        batch_size=16, shuffle=True)
    val_dataloader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x_test), torch.from_numpy(y_test)),
        batch_size=16, shuffle=False)
    model = MyModel(num_classes=NUM_CLASSES)
    compile_for_digits(model)
    history = model.fit(train_dataloader, epochs=1, validation_data=val_dataloader, verbose=0)
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert int(model.optimizer.iterations) == 3  # 40 samples in batches of 16
