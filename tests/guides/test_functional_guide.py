"""Code in the style of Keras's guide "The Functional API"."""

import numpy as np
from sklearn.datasets import load_digits

import minilib as keras
from minilib import layers


def test_mnist_style_model_trains_evaluates_and_saves(tmp_path):
    digits = load_digits()
    x = digits.data.astype("float32") / 16
    y = digits.target
    keras.utils.set_random_seed(0)  # before the weights are made, so that the run repeats
    inputs = keras.Input(shape=(64,))
    x1 = layers.Dense(64, activation="relu")(inputs)
    x1 = layers.Dense(64, activation="relu")(x1)
    outputs = layers.Dense(10)(x1)
    model = keras.Model(inputs=inputs, outputs=outputs, name="digits_model")
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  optimizer=keras.optimizers.RMSprop(), metrics=["accuracy"])
    history = model.fit(x[:1400], y[:1400], batch_size=64, epochs=8, validation_split=0.2,
                        verbose=0)
    test_scores = model.evaluate(x[1400:], y[1400:], verbose=0)
    assert history.history["val_accuracy"][-1] > 0.85
    assert test_scores[1] > 0.85

    model.save(tmp_path / "my_model.keras")
    restored = keras.models.load_model(tmp_path / "my_model.keras")
    np.testing.assert_allclose(restored.predict(x[1400:], verbose=0),
                               model.predict(x[1400:], verbose=0), rtol=1e-5, atol=1e-6)


def test_all_models_are_callable_like_layers_autoencoder():
    encoder_input = keras.Input(shape=(16,), name="original")
    encoder_output = layers.Dense(4, activation="relu")(encoder_input)
    encoder = keras.Model(encoder_input, encoder_output, name="encoder")
    decoder_input = keras.Input(shape=(4,), name="encoded")
    decoder_output = layers.Dense(16)(decoder_input)
    decoder = keras.Model(decoder_input, decoder_output, name="decoder")

    autoencoder_input = keras.Input(shape=(16,), name="img")
    decoded = decoder(encoder(autoencoder_input))
    autoencoder = keras.Model(autoencoder_input, decoded, name="autoencoder")
    assert decoded.shape == (None, 16)
    assert len(autoencoder.weights) == 4
    assert [layer.name for layer in autoencoder.layers] == ["img", "encoder", "decoder"]


def test_ensembling_with_layers_average():
    def get_model():
        inputs = keras.Input(shape=(8,))
        return keras.Model(inputs, layers.Dense(1)(inputs))

    model1, model2, model3 = get_model(), get_model(), get_model()
    inputs = keras.Input(shape=(8,))
    outputs = layers.average([model1(inputs), model2(inputs), model3(inputs)])
    ensemble = keras.Model(inputs=inputs, outputs=outputs)
    x = np.ones((2, 8), dtype="float32")
    expected = (model1(x) + model2(x) + model3(x)) / 3
    np.testing.assert_allclose(ensemble(x).detach().numpy(), expected.detach().numpy(),
                               rtol=1e-6)


def test_ticket_classifier_with_multiple_inputs_and_outputs():
    num_tags, num_departments, num_words = 12, 4, 50
    title_input = keras.Input(shape=(num_words,), name="title")
    body_input = keras.Input(shape=(num_words,), name="body")
    tags_input = keras.Input(shape=(num_tags,), name="tags")
    title_features = layers.Dense(16, activation="relu")(title_input)
    body_features = layers.Dense(8, activation="relu")(body_input)
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(num_departments, name="department")(x)
    model = keras.Model(inputs=[title_input, body_input, tags_input],
                        outputs={"priority": priority_pred, "department": department_pred})
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
              "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
        loss_weights={"priority": 1.0, "department": 0.2},
    )
    rng = np.random.default_rng(0)
    title_data = rng.integers(0, 2, (64, num_words)).astype("float32")
    body_data = rng.integers(0, 2, (64, num_words)).astype("float32")
    tags_data = rng.integers(0, 2, (64, num_tags)).astype("float32")
    priority_targets = rng.random((64, 1)).astype("float32")
    dept_targets = rng.integers(0, 2, (64, num_departments)).astype("float32")
    history = model.fit({"title": title_data, "body": body_data, "tags": tags_data},
                        {"priority": priority_targets, "department": dept_targets},
                        epochs=2, batch_size=32, verbose=0)
    assert {"loss", "priority_loss", "department_loss"} <= set(history.history)


def test_toy_resnet_with_skip_connections():
    inputs = keras.Input(shape=(32,), name="img")
    x = layers.Dense(16, activation="relu")(inputs)
    block_1_output = layers.Dense(16, activation="relu")(x)
    x = layers.Dense(16, activation="relu")(block_1_output)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Dense(16, activation="relu")(block_2_output)
    block_3_output = layers.add([x, block_2_output])
    outputs = layers.Dense(10)(layers.Dropout(0.5)(block_3_output))
    model = keras.Model(inputs, outputs, name="toy_resnet")
    lines = []
    model.summary(print_fn=lines.append)
    assert any("Connected to" in line for line in lines)
    assert model(np.ones((2, 32), dtype="float32")).shape == (2, 10)


def test_shared_layer_and_custom_layer_in_functional_model():
    class CustomDense(layers.Layer):
        def __init__(self, units=32):
            super().__init__()
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                     initializer="random_normal", trainable=True)
            self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                     trainable=True)

        def call(self, inputs):
            return keras.ops.matmul(inputs, self.w) + self.b

        def get_config(self):
            return {"units": self.units}

    shared = layers.Dense(8)
    a, b = keras.Input(shape=(4,)), keras.Input(shape=(4,))
    outputs = CustomDense(10)(layers.concatenate([shared(a), shared(b)]))
    model = keras.Model([a, b], outputs)
    config = model.get_config()
    new_model = keras.Model.from_config(config, custom_objects={"CustomDense": CustomDense})
    assert len(new_model.weights) == len(model.weights) == 4
