"""MultiHeadAttention against torch.nn.MultiheadAttention with converted weights, and a
small transformer block that trains."""

import numpy as np
import pytest
import torch

import minilib
from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_layer_matches_torch, random_floats

HEADS, KEY_DIM, T, S = 2, 4, 5, 7
DIM = HEADS * KEY_DIM  # torch's MultiheadAttention needs dim == heads * head size
QUERY, VALUE = random_floats(3, T, DIM, seed=1), random_floats(3, S, DIM, seed=2)


def torch_attention(mask=None):
    """nn.MultiheadAttention fed the Keras weights: (dim, heads, size) -> (heads*size, dim)."""
    module = torch.nn.MultiheadAttention(DIM, HEADS, batch_first=True)

    def run(query, value, *weights):
        (wq, bq), (wk, bk), (wv, bv), (wo, bo) = zip(weights[::2], weights[1::2], strict=True)
        params = {
            "in_proj_weight": torch.cat([w.reshape(DIM, DIM).T for w in (wq, wk, wv)]),
            "in_proj_bias": torch.cat([b.reshape(DIM) for b in (bq, bk, bv)]),
            "out_proj.weight": wo.reshape(DIM, DIM).T, "out_proj.bias": bo}
        # torch's boolean attn_mask marks the positions that may NOT be attended to.
        attn_mask = None if mask is None else ~mask.repeat_interleave(HEADS, dim=0)
        return torch.func.functional_call(
            module, params, (query, value, value),
            {"attn_mask": attn_mask, "average_attn_weights": False})
    return run


def built_layer(**kwargs):
    layer = layers.MultiHeadAttention(HEADS, KEY_DIM, bias_initializer="random_normal", **kwargs)
    layer(QUERY, VALUE)
    return layer


def with_scores(**call_kwargs):
    """How to call the layer: on query and value, returning the attention scores too."""
    def call(layer, query, value):
        return layer(query, value, return_attention_scores=True, **call_kwargs)
    return call


def test_matches_torch_values_scores_and_gradients():
    layer = built_layer()
    assert [tuple(w.shape) for w in layer.weights] == [
        (DIM, HEADS, KEY_DIM), (HEADS, KEY_DIM)] * 3 + [(HEADS, KEY_DIM, DIM), (DIM,)]
    assert_layer_matches_torch(layer, (QUERY, VALUE), torch_attention(), call=with_scores())


def test_attention_mask_matches_torch():
    mask = torch.as_tensor(np.random.default_rng(0).random((3, T, S)) > 0.4)
    mask[:, :, 0] = True  # no fully masked row: torch would give NaN there
    assert_layer_matches_torch(built_layer(), (QUERY, VALUE), torch_attention(mask),
                               call=with_scores(attention_mask=mask))


def test_causal_mask_matches_torch():
    causal = torch.ones(T, T, dtype=torch.bool).tril().expand(3, T, T)

    def ours(layer, query):
        return with_scores(use_causal_mask=True)(layer, query, query)

    def reference(query, *weights):
        return torch_attention(causal)(query, query, *weights)
    assert_layer_matches_torch(built_layer(), QUERY, reference, call=ours)


def test_masks_travelling_with_the_inputs_are_used():
    tokens = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0]])
    embedded = layers.Embedding(6, DIM, mask_zero=True)(tokens)
    layer = layers.MultiHeadAttention(HEADS, KEY_DIM)
    _, scores = layer(embedded, embedded, return_attention_scores=True)
    padding = torch.as_tensor(tokens == 0)
    assert torch.all(scores[padding[:, None, None, :].expand_as(scores)] == 0)
    out = layer(embedded, embedded)
    np.testing.assert_array_equal(out._keras_mask.numpy(), tokens != 0)
    # The real positions equal attention over the unpadded sequence alone.
    alone = layer(embedded[:1, :3].detach(), embedded[:1, :3].detach())
    torch.testing.assert_close(out[0, :3], alone[0])


def test_attention_over_two_axes_equals_attention_over_their_flattening():
    x = random_floats(2, 3, 4, DIM)
    layer = layers.MultiHeadAttention(HEADS, KEY_DIM, attention_axes=(1, 2))
    out, scores = layer(x, x, return_attention_scores=True)
    assert scores.shape == (2, HEADS, 3, 4, 3, 4)
    flat = torch.as_tensor(x).reshape(2, 12, DIM)
    plain = layers.MultiHeadAttention(HEADS, KEY_DIM)
    plain(flat, flat)
    plain.set_weights(layer.get_weights())
    torch.testing.assert_close(out.reshape(2, 12, DIM), plain(flat, flat), atol=1e-6, rtol=1e-5)


class SelfAttention(layers.MultiHeadAttention):
    """One input, so the generic layer contract can be checked."""

    def call(self, inputs, training=None):
        return super().call(inputs, inputs, training=training)

    def compute_output_spec(self, inputs, **kwargs):
        return super().compute_output_spec(inputs, inputs)


def test_layer_contract_and_cross_attention_shapes():
    run_layer_test(SelfAttention, {"num_heads": 2, "key_dim": 3, "value_dim": 5, "dropout": 0.1},
                   input_shape=(2, T, DIM), expected_output_shape=(2, T, DIM),
                   expected_num_weights=8)
    layer = layers.MultiHeadAttention(2, 3, output_shape=6)
    out, scores = layer(minilib.Input((T, 4)), minilib.Input((S, 10)),
                        return_attention_scores=True)
    assert out.shape == (None, T, 6) and scores.shape == (None, 2, T, S)
    assert layer.value_dense.kernel.shape == (10, 2, 3)
    assert layer.get_build_config()["shapes_dict"]["value_shape"] == (None, S, 10)
    with pytest.raises(ValueError, match="'mha'.*num_heads"):
        layers.MultiHeadAttention(0, 3, name="mha")


def test_transformer_block_trains_with_fit():
    rng = np.random.default_rng(0)
    tokens = rng.integers(1, 10, size=(800, 6))
    tokens[tokens == 3] = 4
    has_three = rng.random(800) < 0.5
    tokens[has_three, rng.integers(0, 6, has_three.sum())] = 3
    minilib.utils.set_random_seed(0)
    inputs = minilib.Input((6,), dtype="int64")
    x = layers.Embedding(10, 16)(inputs)
    x = layers.Add()([x, layers.MultiHeadAttention(2, 8)(x, x)])
    if hasattr(layers, "LayerNormalization"):
        x = layers.LayerNormalization()(x)
    x = layers.Add()([x, layers.Dense(16)(layers.Dense(32, activation="relu")(x))])
    outputs = layers.Dense(1, activation="sigmoid")(layers.Flatten()(x))
    model = minilib.Model(inputs, outputs)
    model.compile(optimizer=minilib.optimizers.Adam(0.005), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(tokens[:600], has_three[:600].astype("float32"), batch_size=32,
                        epochs=8, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    _, accuracy = model.evaluate(tokens[600:], has_three[600:].astype("float32"), verbose=0)
    assert accuracy > 0.9
