"""Code in the style of Keras's guide "The Functional API"."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

import minilib as keras
from minilib import layers


def test_inputs_know_their_shape_and_dtype():
    inputs = keras.Input(shape=(784,))
    assert inputs.shape == (None, 784) and inputs.dtype == "float32"
    img_inputs = keras.Input(shape=(32, 32, 3))
    assert img_inputs.shape == (None, 32, 32, 3)


def test_summary_and_plot_of_the_three_layer_model(tmp_path):
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(64, activation="relu")(inputs)
    x = layers.Dense(64, activation="relu")(x)
    model = keras.Model(inputs=inputs, outputs=layers.Dense(10)(x), name="mnist_model")
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert 'Model: "mnist_model"' in text
    for count in ("50,240", "4,160", "650", "Total params: 55,050 (215.04 KB)"):
        assert count in text
    picture = tmp_path / "model_with_shapes.png"
    keras.utils.plot_model(model, str(picture), show_shapes=True)
    assert picture.read_bytes().startswith(b"\x89PNG")


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


def convolutional_encoder(name):
    image = keras.Input(shape=(28, 28, 1), name=name)
    x = layers.Conv2D(16, 3, activation="relu")(image)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    return image, layers.GlobalMaxPooling2D()(x)


def convolutional_decoder(code):
    x = layers.Reshape((4, 4, 1))(code)
    x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
    x = layers.Conv2DTranspose(32, 3, activation="relu")(x)
    x = layers.UpSampling2D(3)(x)
    x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
    return layers.Conv2DTranspose(1, 3, activation="relu")(x)


def test_convolutional_autoencoder_in_one_graph_and_as_nested_models():
    image, code = convolutional_encoder("img")
    encoder = keras.Model(image, code, name="encoder")
    autoencoder = keras.Model(image, convolutional_decoder(code), name="autoencoder")
    assert code.shape == (None, 16)
    assert [tuple(layer.output.shape[1:]) for layer in autoencoder.layers[-6:]] == [
        (4, 4, 1), (6, 6, 16), (8, 8, 32), (24, 24, 32), (26, 26, 16), (28, 28, 1)]
    assert encoder.count_params() == 18_672 and autoencoder.count_params() == 28_241

    image, code = convolutional_encoder("original_img")
    encoder = keras.Model(image, code, name="encoder")
    code_input = keras.Input(shape=(16,), name="encoded_img")
    decoder = keras.Model(code_input, convolutional_decoder(code_input), name="decoder")
    outer_input = keras.Input(shape=(28, 28, 1), name="img")
    nested = keras.Model(outer_input, decoder(encoder(outer_input)), name="autoencoder")
    assert decoder.count_params() == 9_569 and nested.count_params() == 28_241
    lines = []
    nested.summary(print_fn=lines.append)
    assert any("encoder (Functional)" in line and "(None, 16)" in line for line in lines)
    assert nested(np.zeros((2, 28, 28, 1), dtype="float32")).shape == (2, 28, 28, 1)


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


def test_ticket_classifier_reads_variable_length_text_and_weights_its_losses():
    num_tags, num_words, num_departments = 6, 100, 4
    title_input = keras.Input(shape=(None,), name="title")
    body_input = keras.Input(shape=(None,), name="body")
    tags_input = keras.Input(shape=(num_tags,), name="tags")
    title_features = layers.LSTM(8)(layers.Embedding(num_words, 8)(title_input))
    body_features = layers.LSTM(4)(layers.Embedding(num_words, 8)(body_input))
    x = layers.concatenate([title_features, body_features, tags_input])
    assert x.shape == (None, 8 + 4 + num_tags)
    model = keras.Model(
        inputs=[title_input, body_input, tags_input],
        outputs={"priority": layers.Dense(1, name="priority")(x),
                 "department": layers.Dense(num_departments, name="department")(x)})
    rng = np.random.default_rng(0)
    inputs = {"title": rng.integers(num_words, size=(64, 5)),
              "body": rng.integers(num_words, size=(64, 12)),
              "tags": rng.integers(2, size=(64, num_tags)).astype("float32")}
    targets = {"priority": rng.random((64, 1)),
               "department": rng.integers(2, size=(64, num_departments))}

    # A list of losses for dict outputs follows the sorted output names, as in Keras:
    # ["department", "priority"], so the categorical loss lands on the one-unit "priority"
    # output, where it is always 0. Naming the outputs, as the guide does next, is safer.
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss=[keras.losses.BinaryCrossentropy(from_logits=True),
                        keras.losses.CategoricalCrossentropy(from_logits=True)],
                  loss_weights=[1.0, 0.2])
    with pytest.warns(UserWarning, match="a single class"):
        history = model.fit(inputs, targets, epochs=1, batch_size=32, verbose=0).history
    assert history["priority_loss"] == [0.0]

    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss={"priority": keras.losses.BinaryCrossentropy(from_logits=True),
                        "department": keras.losses.CategoricalCrossentropy(from_logits=True)},
                  loss_weights={"priority": 1.0, "department": 0.2})
    history = model.fit(inputs, targets, epochs=1, batch_size=32, verbose=0).history
    np.testing.assert_allclose(history["loss"][0], history["priority_loss"][0]
                               + 0.2 * history["department_loss"][0], rtol=1e-5)


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


def test_convolutional_toy_resnet_counts_and_trains_on_one_hot_labels():
    inputs = keras.Input(shape=(32, 32, 3), name="img")
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    block_1_output = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_3_output = layers.add([x, block_2_output])
    x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.5)(layers.Dense(256, activation="relu")(x))
    model = keras.Model(inputs, layers.Dense(10)(x), name="toy_resnet")
    assert block_3_output.shape == (None, 9, 9, 64)
    assert model.count_params() == 223_242

    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, (10, 32, 32, 3)).astype("float32") / 255.0
    y_train = keras.utils.to_categorical(rng.integers(0, 10, (10, 1)), 10)
    assert y_train.shape == (10, 10)
    model.compile(optimizer=keras.optimizers.RMSprop(1e-3),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["acc"])
    history = model.fit(x_train, y_train, batch_size=4, epochs=1, validation_split=0.2,
                        verbose=0).history
    assert set(history) == {"loss", "acc", "val_loss", "val_acc"}


def test_one_embedding_shared_by_two_text_inputs():
    shared_embedding = layers.Embedding(1000, 8)
    text_input_a = keras.Input(shape=(None,), dtype="int32")
    text_input_b = keras.Input(shape=(None,), dtype="int32")
    encoded_a, encoded_b = shared_embedding(text_input_a), shared_embedding(text_input_b)
    assert encoded_a.shape == encoded_b.shape == (None, None, 8)
    model = keras.Model([text_input_a, text_input_b], [encoded_a, encoded_b])
    assert len(model.weights) == 1  # one table serves both inputs
    words = np.array([[3, 14, 15]])
    out_a, out_b = model([words, words])
    np.testing.assert_array_equal(out_a.detach().numpy(), out_b.detach().numpy())


def test_feature_extraction_from_every_layer_of_vgg19():
    vgg19 = keras.applications.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3))
    features_list = [layer.output for layer in vgg19.layers]
    feat_extraction_model = keras.Model(inputs=vgg19.input, outputs=features_list)
    img = np.random.default_rng(0).random((1, 32, 32, 3)).astype("float32")
    extracted_features = feat_extraction_model(img)
    assert len(extracted_features) == len(vgg19.layers) == 22
    assert tuple(extracted_features[1].shape) == (1, 32, 32, 64)
    np.testing.assert_allclose(extracted_features[-1].detach().numpy(),
                               vgg19(img).detach().numpy(), rtol=1e-5, atol=1e-6)


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


def test_mixing_functional_models_and_subclassed_layers_both_ways():
    units, timesteps, input_dim = 8, 10, 5

    inputs = keras.Input((None, units))
    pooled = layers.GlobalAveragePooling1D()(inputs)
    classifier = keras.Model(inputs, layers.Dense(1)(pooled))

    class StepByStep(layers.Layer):
        """A hand-written recurrence whose head is a layer or a whole functional model."""

        def __init__(self, head):
            super().__init__()
            self.projection_1 = layers.Dense(units=units, activation="tanh")
            self.projection_2 = layers.Dense(units=units, activation="tanh")
            self.head = head

        def call(self, inputs):
            outputs = []
            state = keras.ops.zeros(shape=(inputs.shape[0], units))
            for t in range(inputs.shape[1]):
                state = self.projection_1(inputs[:, t, :]) + self.projection_2(state)
                outputs.append(state)
            return self.head(keras.ops.stack(outputs, axis=1))

    with_model_inside = StepByStep(classifier)
    assert tuple(with_model_inside(keras.ops.zeros((1, timesteps, input_dim))).shape) == (1, 1)
    assert len(with_model_inside.weights) == 6  # two projections and the model's Dense

    batch_inputs = keras.Input(batch_shape=(4, timesteps, input_dim))
    outputs = StepByStep(layers.Dense(1))(layers.Conv1D(units, 3)(batch_inputs))
    model = keras.Model(batch_inputs, outputs)
    assert outputs.shape == (4, timesteps - 2, 1)
    assert tuple(model(np.zeros((4, timesteps, input_dim), "float32")).shape) == (4, 8, 1)
