"""Keras's guide "Understanding masking & padding", example by example, in minilib.

Each test follows one section of the guide, in the guide's order, and checks
the numbers against what a masked computation must give (NumPy / PyTorch).
"""

import numpy as np
import torch

import minilib as keras
from minilib import layers, ops

RAW_INPUTS = [[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]]
PADDED = np.array([[711, 632, 71, 0, 0, 0],
                   [73, 8, 3215, 55, 927, 0],
                   [83, 91, 1, 645, 1253, 927]])
REAL_STEPS = PADDED != 0


def test_pad_sequences_pads_at_the_end_with_zeros():
    np.testing.assert_array_equal(keras.utils.pad_sequences(RAW_INPUTS, padding="post"), PADDED)
    pre = keras.utils.pad_sequences(RAW_INPUTS)  # "pre" is the default: zeros first
    np.testing.assert_array_equal(pre[0], [0, 0, 0, 711, 632, 71])


def test_embedding_with_mask_zero_attaches_a_mask_to_its_output():
    embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
    masked_output = embedding(PADDED)
    np.testing.assert_array_equal(masked_output._keras_mask.numpy(), REAL_STEPS)


def test_masking_layer_masks_steps_whose_features_all_equal_the_mask_value():
    # Each word id copied into 10 features stands in for an embedding lookup.
    unmasked_embedding = ops.cast(ops.tile(ops.expand_dims(PADDED, axis=-1), [1, 1, 10]),
                                  dtype="float32")
    np.testing.assert_array_equal(ops.convert_to_numpy(unmasked_embedding),
                                  np.repeat(PADDED[..., None], 10, axis=-1))
    masked_embedding = layers.Masking()(unmasked_embedding)
    np.testing.assert_array_equal(masked_embedding._keras_mask.numpy(), REAL_STEPS)


def lstm_over_real_steps_only(lstm, embedded, real=REAL_STEPS):
    """The oracle: run the LSTM on each sequence with its masked steps left out."""
    return torch.cat([lstm(embedded[row:row + 1, torch.as_tensor(keep)])
                      for row, keep in enumerate(real)])


def test_sequential_model_hands_the_mask_to_the_lstm():
    model = keras.Sequential([layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True),
                              layers.LSTM(32)])
    embedding, lstm = model.layers
    expected = lstm_over_real_steps_only(lstm, embedding(PADDED))
    torch.testing.assert_close(model(PADDED), expected, rtol=1e-5, atol=1e-6)


def test_functional_model_hands_the_mask_to_the_lstm():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
    assert x._keras_mask.shape == (None, None)  # a symbolic mask
    outputs = layers.LSTM(32)(x)
    model = keras.Model(inputs, outputs)
    embedding, lstm = model.layers[1:]
    expected = lstm_over_real_steps_only(lstm, embedding(PADDED))
    torch.testing.assert_close(model(PADDED), expected, rtol=1e-5, atol=1e-6)


class MyLayer(layers.Layer):
    """The guide's subclassed layer: it passes the mask to its LSTM by hand."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
        self.lstm = layers.LSTM(32)

    def call(self, inputs):
        x = self.embedding(inputs)
        mask = self.embedding.compute_mask(inputs)
        return self.lstm(x, mask=mask)


def test_a_mask_passed_by_hand_makes_the_lstm_skip_padding():
    layer = MyLayer()
    x = (np.random.default_rng(0).random((32, 10)) * 100).astype("int32")
    x[:, 0] = 1  # every sequence has a real step; the zeros elsewhere are skipped
    expected = lstm_over_real_steps_only(layer.lstm, layer.embedding(x), x != 0)
    torch.testing.assert_close(layer(x), expected, rtol=1e-5, atol=1e-6)


class TemporalSplit(keras.layers.Layer):
    """Splits the time axis in two halves, and the mask with it."""

    def call(self, inputs):
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return ops.split(mask, 2, axis=1)


def test_a_layer_that_changes_the_time_axis_splits_the_mask_too():
    masked_embedding = layers.Masking()(np.tile(PADDED[..., None], [1, 1, 10]).astype("float32"))
    first_half, second_half = TemporalSplit()(masked_embedding)
    np.testing.assert_array_equal(first_half._keras_mask.numpy(), REAL_STEPS[:, :3])
    np.testing.assert_array_equal(second_half._keras_mask.numpy(), REAL_STEPS[:, 3:])


class CustomEmbedding(keras.layers.Layer):
    """An embedding that makes its own mask, as Embedding(mask_zero=True) does."""

    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.mask_zero = mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer="random_normal", dtype="float32")

    def call(self, inputs):
        return ops.take(self.embeddings, inputs, axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)


def test_a_custom_layer_can_generate_a_mask():
    layer = CustomEmbedding(10, 32, mask_zero=True)
    x = (np.random.default_rng(1).random((3, 10)) * 9).astype("int32")
    y = layer(x)
    np.testing.assert_array_equal(layer.compute_mask(x).numpy(), x != 0)
    np.testing.assert_array_equal(y._keras_mask.numpy(), x != 0)
    torch.testing.assert_close(y, layer.embeddings[torch.as_tensor(x, dtype=torch.long)])
    assert getattr(CustomEmbedding(10, 32)(x), "_keras_mask", None) is None


class MyActivation(keras.layers.Layer):
    """Keeps the time steps as they are, so it may pass the mask on."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return ops.relu(inputs)


def test_opting_in_to_mask_propagation_lets_the_mask_reach_the_lstm():
    inputs = keras.Input(shape=(None,), dtype="int32")
    embedded = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
    x = MyActivation()(embedded)
    assert x._keras_mask is embedded._keras_mask  # passed on unchanged
    model = keras.Model(inputs, layers.LSTM(32)(x))
    embedding, _, lstm = model.layers[1:]
    expected = lstm_over_real_steps_only(lstm, torch.relu(embedding(PADDED)))
    torch.testing.assert_close(model(PADDED), expected, rtol=1e-5, atol=1e-6)

    class PlainActivation(keras.layers.Layer):  # did not opt in: the mask stops here
        def call(self, inputs):
            return ops.relu(inputs)

    assert PlainActivation()(embedded)._keras_mask is None


class TemporalSoftmax(keras.layers.Layer):
    """A softmax over the time axis that gives masked steps no weight."""

    def call(self, inputs, mask=None):
        assert mask is not None, "the mask attached to the input must arrive here"
        weights = ops.expand_dims(ops.cast(mask, "float32"), -1)
        exponentials = ops.exp(inputs) * weights
        return exponentials / ops.sum(exponentials, axis=1, keepdims=True)


def test_a_layer_with_a_mask_argument_receives_the_mask():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
    x = layers.Dense(1)(x)
    outputs = TemporalSoftmax()(x)  # the symbolic call already receives the mask
    model = keras.Model(inputs, outputs)
    tokens = np.random.default_rng(2).integers(0, 10, size=(32, 100))
    y = model(tokens).detach().numpy()[..., 0]

    scores = model.layers[2](model.layers[1](tokens)).detach().numpy()[..., 0]
    real = tokens != 0
    exponentials = np.where(real, np.exp(scores - scores.max(axis=1, keepdims=True)), 0.0)
    np.testing.assert_allclose(y, exponentials / exponentials.sum(axis=1, keepdims=True),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)
