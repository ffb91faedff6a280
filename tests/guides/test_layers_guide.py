"""Guide-style checks for images and sequences: a CNN, an LSTM and a transformer block,
each trained with `fit` on the data minilib ships, to a stated accuracy in seconds."""

import numpy as np
import pytest

import minilib as keras
from minilib import layers, ops


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("MINILIB_HOME", str(tmp_path_factory.getbasetemp() / "minilib_home"))
    keras.utils.set_random_seed(0)


def reviews(maxlen=30):
    (x_train, y_train), (x_test, y_test) = keras.datasets.reviews.load_data()
    vocabulary = max(max(s) for s in [*x_train, *x_test]) + 1
    return (keras.utils.pad_sequences(x_train, maxlen=maxlen), y_train,
            keras.utils.pad_sequences(x_test, maxlen=maxlen), y_test, vocabulary)


def test_a_small_cnn_clearly_beats_an_mlp_on_glyph_digits():
    (x_train, y_train), (x_test, y_test) = keras.datasets.glyph_digits.load_data()
    x_train = x_train[:6000, ..., None].astype("float32") / 255
    x_test = x_test[:1000, ..., None].astype("float32") / 255
    y_train, y_test = y_train[:6000], y_test[:1000]

    def accuracy(model, epochs):
        model.compile(optimizer="adam", metrics=["accuracy"],
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(x_train, y_train, epochs=epochs, batch_size=64, verbose=0)
        return model.evaluate(x_test, y_test, verbose=0)[1]

    mlp = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Flatten(),
                            layers.Dense(64, activation="relu"), layers.Dense(10)])
    cnn = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(10),
    ])
    mlp_accuracy, cnn_accuracy = accuracy(mlp, 5), accuracy(cnn, 5)
    assert cnn_accuracy > 0.78
    assert cnn_accuracy > mlp_accuracy + 0.08


def test_an_lstm_text_classifier_with_masking_learns_the_reviews():
    x_train, y_train, x_test, y_test, vocabulary = reviews()
    model = keras.Sequential([
        keras.Input(shape=(30,), dtype="int64"),
        layers.Embedding(vocabulary, 16, mask_zero=True),
        layers.LSTM(16),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=6, batch_size=32, verbose=0)
    assert model.evaluate(x_test, y_test, verbose=0)[1] > 0.9


class TokenAndPositionEmbedding(layers.Layer):
    """Word embedding plus a learned embedding of each position: attention alone has no order."""

    def __init__(self, maxlen, vocabulary, dim, **kwargs):
        super().__init__(**kwargs)
        self.tokens = layers.Embedding(vocabulary, dim)
        self.positions = layers.Embedding(maxlen, dim)

    def call(self, x):
        return self.tokens(x) + self.positions(ops.arange(0, x.shape[-1]))


def test_a_transformer_block_learns_the_reviews_and_saves(tmp_path):
    x_train, y_train, x_test, y_test, vocabulary = reviews()
    inputs = keras.Input(shape=(30,), dtype="int64")
    x = TokenAndPositionEmbedding(30, vocabulary, 16)(inputs)
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x)
    x = layers.LayerNormalization()(layers.add([x, attended]))
    feed_forward = layers.Dense(16)(layers.Dense(32, activation="relu")(x))
    x = layers.LayerNormalization()(layers.add([x, feed_forward]))
    outputs = layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling1D()(x))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.005), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=10, batch_size=32, verbose=0)
    assert model.evaluate(x_test, y_test, verbose=0)[1] > 0.8

    model.save(tmp_path / "transformer.keras")
    restored = keras.models.load_model(
        tmp_path / "transformer.keras",
        custom_objects={"TokenAndPositionEmbedding": TokenAndPositionEmbedding})
    np.testing.assert_allclose(restored.predict(x_test[:8], verbose=0),
                               model.predict(x_test[:8], verbose=0), rtol=1e-5, atol=1e-6)
