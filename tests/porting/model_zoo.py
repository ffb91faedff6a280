"""Models built by the same code in minilib and in real Keras.

Every builder takes the library as its argument, so `mlp(minilib)` and
`mlp(keras)` make the same architecture: that is the whole point of minilib
mirroring Keras's API. Together the models use every layer minilib has (but
Lambda, whose Python code is not portable data).

`inputs(name)` gives the same fixed batch on both sides.
"""

import numpy as np

INT_INPUTS = {"rnn": 20, "rnn_zoo": 20}  # models fed token ids below this vocabulary size


def inputs(name):
    """The fixed input batch for model `name`: an array, or a list of one per model input."""
    rng = np.random.default_rng(sum(map(ord, name)))
    shapes = {"mlp": [(8,)], "multi_io": [(6,), (6,)], "cnn": [(12, 12, 3)],
              "conv_zoo": [(10, 10, 3)], "sequence_zoo": [(9, 4)], "rnn": [(7,)],
              "rnn_zoo": [(6,)], "conv_lstm": [(3, 6, 5, 2)], "transformer": [(5, 8)],
              "preprocessing": [(6,)],
              "image_preprocessing": [(9, 11, 3)], "misc": [(4, 6)], "custom": [(5,)]}[name]
    if name in INT_INPUTS:
        tokens = rng.integers(1, INT_INPUTS[name], size=(4, *shapes[0]))
        tokens[:, -2:] = 0  # padding, which mask_zero hides from the recurrent layers
        return tokens.astype("int32")
    batch = [rng.standard_normal((4, *shape)).astype("float32") for shape in shapes]
    return batch if len(batch) > 1 else batch[0]


def mlp(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input(shape=(8,)),
        L.Dense(16, activation="relu", kernel_regularizer="l2", name="hidden"),
        L.Dropout(0.2),
        L.Dense(3, activation="softmax"),
    ], name="mlp")


def multi_io(lib):
    """Two inputs, two outputs, one shared layer and two nested models."""
    L = lib.layers
    inner_in = lib.Input(shape=(16,))
    inner = lib.Model(inner_in, L.Dense(5, activation="tanh")(inner_in), name="inner")
    head = lib.Sequential([lib.Input(shape=(5,)), L.Dense(4, activation="relu")], name="head")
    a, b = lib.Input(shape=(6,), name="a"), lib.Input(shape=(6,), name="b")
    shared = L.Dense(8, activation="relu", name="shared")
    ha, hb = shared(a), shared(b)
    features = inner(L.Concatenate()([ha, hb]))
    mixed = L.Average()([L.Add()([ha, hb]), L.Subtract()([ha, hb]), L.Multiply()([ha, hb]),
                         L.Maximum()([ha, hb]), L.Minimum()([ha, hb])])
    score = L.Dense(1, name="score")(head(features))
    label = L.Dense(3, activation="softmax", name="label")(
        L.Concatenate()([mixed, features]))
    return lib.Model([a, b], [score, label], name="multi_io")


def cnn(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input(shape=(12, 12, 3)),
        L.Conv2D(4, 3, padding="same", activation="relu"),
        L.BatchNormalization(),
        L.MaxPooling2D(),
        L.Conv2D(6, 3, strides=2),
        L.BatchNormalization(momentum=0.9, epsilon=1e-3),
        L.Dropout(0.25),
        L.Flatten(),
        L.Dense(5),
    ], name="cnn")


def conv_zoo(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input(shape=(10, 10, 3)),
        L.ZeroPadding2D(1),
        L.DepthwiseConv2D(3, depth_multiplier=2),
        L.SeparableConv2D(4, 3, padding="same", activation="relu"),
        L.Conv2DTranspose(3, 3, strides=2, padding="same"),
        L.GroupNormalization(groups=3),
        L.SpatialDropout2D(0.1),
        L.Cropping2D(((1, 2), (2, 1))),
        L.UpSampling2D(2),
        L.AveragePooling2D(3),
        L.MaxPooling2D(2, padding="same"),
        L.GlobalMaxPooling2D(),
        L.Dense(2),
    ], name="conv_zoo")


def sequence_zoo(lib):
    """1-D convolutions and pooling over a (steps, features) input."""
    L = lib.layers
    x = lib.Input(shape=(9, 4))
    h = L.Conv1D(6, 3, padding="causal", activation="relu")(x)
    h = L.SpatialDropout1D(0.1)(L.MaxPooling1D(2, strides=1)(h))
    h = L.AveragePooling1D(2, padding="same")(h)
    pooled = L.Concatenate()([L.GlobalAveragePooling1D()(h), L.GlobalMaxPooling1D()(h)])
    return lib.Model(x, L.Dense(3)(pooled), name="sequence_zoo")


def rnn(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input(shape=(7,), dtype="int32"),
        L.Embedding(20, 8, mask_zero=True),
        L.Bidirectional(L.LSTM(6, return_sequences=True)),
        L.GRU(5),
        L.Dense(2),
    ], name="rnn")


def rnn_zoo(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input(shape=(6,), dtype="int32"),
        L.Embedding(20, 4),
        L.Masking(mask_value=0.0),
        L.SimpleRNN(5, return_sequences=True),
        L.TimeDistributed(L.Dense(3)),
        L.RNN(L.GRUCell(4), return_sequences=True),
        L.Bidirectional(L.GRU(3), merge_mode="sum"),
        L.RepeatVector(2),
        L.RNN(L.LSTMCell(2)),
    ], name="rnn_zoo")


def conv_lstm(lib):
    """Clips of 3 frames 6x5: a ConvLSTM2D over the sequence, a Conv3D over (time, height,
    width) as keras.io's next-frame example does, then a ConvLSTM2D over its outputs."""
    L = lib.layers
    return lib.Sequential([
        lib.Input(shape=(3, 6, 5, 2)),
        L.ConvLSTM2D(4, 3, padding="same", return_sequences=True, bias_initializer="ones"),
        L.Conv3D(3, (2, 3, 3), padding="same", activation="sigmoid"),
        L.ConvLSTM2D(2, (2, 3), strides=2, go_backwards=True),
        L.Flatten(),
        L.Dense(2),
    ], name="conv_lstm")


def transformer(lib):
    """One encoder block: self-attention and a feed-forward part, each with a residual."""
    L = lib.layers
    x = lib.Input(shape=(5, 8))
    attended = L.MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.1)(x, x)
    h = L.LayerNormalization(epsilon=1e-6)(L.Add()([x, L.Dropout(0.1)(attended)]))
    feed_forward = L.Dense(8)(L.Dense(16, activation="relu")(h))
    h = L.LayerNormalization(epsilon=1e-6)(L.Add()([h, feed_forward]))
    return lib.Model(x, L.Dense(2)(L.GlobalAveragePooling1D()(h)), name="transformer")


def preprocessing(lib):
    """Normalization adapted to data, then Rescaling."""
    L = lib.layers
    normalize = L.Normalization()
    normalize.adapt(np.random.default_rng(5).normal(3.0, 2.0, (50, 6)).astype("float32"))
    return lib.Sequential([lib.Input(shape=(6,)), normalize, L.Rescaling(0.5, offset=0.1),
                           L.Dense(2)], name="preprocessing")


def image_preprocessing(lib):
    """Resizing and cropping; the random augmentations do nothing at inference."""
    L = lib.layers
    return lib.Sequential([
        lib.Input(shape=(9, 11, 3)),
        L.Resizing(8, 8),
        L.CenterCrop(6, 6),
        L.RandomFlip(), L.RandomRotation(0.1), L.RandomTranslation(0.1, 0.1),
        L.RandomZoom(0.1),
        L.Rescaling(1 / 4.0),
        L.Flatten(),
        L.Dense(2),
    ], name="image_preprocessing")


def misc(lib):
    """Activations, reshaping and the regularization layers that only act in training."""
    L = lib.layers
    return lib.Sequential([
        lib.Input(shape=(4, 6)),
        L.Dense(6), L.LeakyReLU(negative_slope=0.2), L.ELU(alpha=0.5), L.ReLU(max_value=3.0),
        L.Permute((2, 1)), L.Reshape((8, 3)), L.Softmax(axis=1), L.Activation("tanh"),
        L.Identity(), L.ActivityRegularization(l1=0.01), L.GaussianNoise(0.1),
        L.GaussianDropout(0.1), L.Flatten(), L.Dense(3),
    ], name="misc")


def custom_layer_classes(lib):
    """Two custom layers: `Scale`, registered under the same name in both libraries,
    and `Shift`, not registered (loading needs `custom_objects={"Shift": Shift}`)."""

    @lib.saving.register_keras_serializable(package="porting")
    class Scale(lib.layers.Layer):
        def __init__(self, factor=1.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.gain = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.gain * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    class Shift(lib.layers.Layer):
        def build(self, input_shape):
            self.offset = self.add_weight(shape=(input_shape[-1],), initializer="random_normal")

        def call(self, inputs):
            return inputs + self.offset

    return Scale, Shift


def custom(lib, scale, shift):
    L = lib.layers
    return lib.Sequential([lib.Input(shape=(5,)), scale(factor=2.0), shift(), L.Dense(2)],
                          name="custom")


BUILDERS = {"mlp": mlp, "multi_io": multi_io, "cnn": cnn, "conv_zoo": conv_zoo,
            "sequence_zoo": sequence_zoo, "rnn": rnn, "rnn_zoo": rnn_zoo, "conv_lstm": conv_lstm,
            "transformer": transformer, "preprocessing": preprocessing,
            "image_preprocessing": image_preprocessing, "misc": misc}


def classifier(lib, optimizer):
    """A compiled model, to check that training continues identically after a move."""
    L = lib.layers
    model = lib.Sequential([lib.Input(shape=(8,)), L.Dense(16, activation="relu"),
                            L.Dense(3)], name="classifier")
    model.compile(optimizer=optimizer,
                  loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def training_data():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((32, 8)).astype("float32")
    return x, (x[:, 0] > 0).astype("int32") + (x[:, 1] > 1).astype("int32")


def train(model, epochs):
    x, y = training_data()
    model.fit(x, y, batch_size=8, epochs=epochs, shuffle=False, verbose=0)
