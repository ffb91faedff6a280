"""Masks travel with tensors through layers that support masking, to layers that use them."""

import numpy as np
import torch

import minilib
from minilib import layers


class PadMask(layers.Layer):
    """Marks zero rows as padding, like Embedding(mask_zero=True) does for token 0."""

    def compute_mask(self, inputs, previous_mask=None):
        return minilib.ops.any(inputs != 0, axis=-1)


class MaskedMean(layers.Layer):
    """Averages over time, skipping masked steps."""

    def call(self, inputs, mask=None):
        if mask is None:
            return minilib.ops.mean(inputs, axis=1)
        weights = minilib.ops.expand_dims(minilib.ops.cast(mask, inputs.dtype), -1)
        return minilib.ops.sum(inputs * weights, axis=1) / minilib.ops.sum(weights, axis=1)


def test_mask_flows_through_dense_and_dropout_into_a_consumer():
    x = np.zeros((2, 4, 3), dtype="float32")
    x[0, :2] = 1.0
    x[1, :3] = 2.0
    inputs = minilib.Input(shape=(4, 3))
    hidden = layers.Dropout(0.1)(layers.Dense(5, bias_initializer="ones")(PadMask()(inputs)))
    model = minilib.Model(inputs, MaskedMean()(hidden))
    out = model(x)
    dense = model.layers[2]
    expected = torch.stack([dense(torch.as_tensor(x[0, :2])).mean(0),
                            dense(torch.as_tensor(x[1, :3])).mean(0)])
    torch.testing.assert_close(out, expected)


def test_layers_without_masking_drop_the_mask():
    x = torch.ones(2, 3, 4)
    masked = PadMask()(x)
    assert masked._keras_mask.shape == (2, 3)
    assert getattr(layers.Flatten()(masked), "_keras_mask", None) is None
    assert layers.Activation("relu")(masked)._keras_mask is masked._keras_mask


class MaskRecorder(layers.Layer):
    """Keeps the mask its `call` receives (a consumer: its output carries no mask)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.received = []

    def call(self, inputs, mask=None):
        self.received.append(mask)
        return inputs * 1.0


TOKENS = np.array([[4, 2, 0, 0], [7, 0, 0, 0]])
REAL = torch.as_tensor(TOKENS != 0)


def test_call_with_a_mask_argument_receives_the_mask_in_eager_calls():
    recorder = MaskRecorder()
    out = recorder(layers.Embedding(10, 3, mask_zero=True)(TOKENS))
    torch.testing.assert_close(recorder.received[-1], REAL)
    assert getattr(out, "_keras_mask", None) is None  # it did not opt in to passing it on
    given = torch.tensor([[True, False, True, False]] * 2)
    recorder(layers.Embedding(10, 3, mask_zero=True)(TOKENS), mask=given)
    assert recorder.received[-1] is given  # a mask passed by the caller wins


def test_functional_graph_hands_the_mask_on_at_build_time_and_at_run_time():
    inputs = minilib.Input((None,), dtype="int64")
    embedded = layers.Embedding(10, 3, mask_zero=True)(inputs)
    assert isinstance(embedded._keras_mask, minilib.KerasTensor)
    assert (embedded._keras_mask.shape, embedded._keras_mask.dtype) == ((None, None), "bool")
    recorder = MaskRecorder()
    model = minilib.Model(inputs, recorder(layers.Dense(2)(embedded)))
    assert [tuple(m.shape) for m in recorder.received] == [(2, 2), (3, 3)]  # shape inference
    model(TOKENS)
    torch.testing.assert_close(recorder.received[-1], REAL)


def test_sequential_hands_the_mask_on_with_and_without_an_input():
    for head in ([minilib.Input((4,), dtype="int64")], []):
        recorder = MaskRecorder()
        model = minilib.Sequential([*head, layers.Embedding(10, 3, mask_zero=True),
                                    layers.Dropout(0.5), recorder])
        model(TOKENS)
        torch.testing.assert_close(recorder.received[-1], REAL)


def test_symbolic_masks_follow_compute_mask():
    inputs = minilib.Input((5, 3))
    masked = layers.Masking()(inputs)
    assert masked._keras_mask.shape == (None, 5)
    sequences, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(masked)
    assert sequences._keras_mask is masked._keras_mask  # passed on unchanged
    assert h._keras_mask is None and c._keras_mask is None
    assert layers.LSTM(4)(masked)._keras_mask is None  # one vector per sequence: no time axis
    assert layers.Flatten()(masked)._keras_mask is None  # does not support masking
    assert layers.Dense(2)(inputs)._keras_mask is None


def test_a_layer_defining_compute_mask_supports_masking_by_default():
    assert PadMask().supports_masking and not MaskedMean().supports_masking
    out = PadMask()(torch.tensor([[[1.0], [0.0]]]))
    torch.testing.assert_close(out._keras_mask, torch.tensor([[True, False]]))


def test_an_output_that_already_carries_a_mask_keeps_it():
    class EmbedAndPass(layers.Layer):  # its inner Embedding already masked the output
        def __init__(self):
            super().__init__()
            self.embedding = layers.Embedding(10, 3, mask_zero=True)
            self.supports_masking = True

        def call(self, inputs):
            return self.embedding(inputs)

    torch.testing.assert_close(EmbedAndPass()(TOKENS)._keras_mask, REAL)


def test_functional_model_accepts_masks_for_its_inputs():
    inputs = minilib.Input((4, 3))
    model = minilib.Model(inputs, layers.LSTM(2)(inputs))
    x = torch.as_tensor(np.random.default_rng(0).random((2, 4, 3)), dtype=torch.float32)
    lstm = model.layers[1]
    expected = torch.cat([lstm(x[:1, :2]), lstm(x[1:, :1])])
    torch.testing.assert_close(model(x, mask=REAL), expected, rtol=1e-5, atol=1e-6)


def test_unmasked_calls_leave_no_mask_attribute():
    out = layers.Dense(2)(torch.ones(2, 3))
    assert not hasattr(out, "_keras_mask")
