"""Embedding against torch's embedding lookup, its initializer, and the mask it makes."""

import numpy as np
import pytest
import torch

import minilib
from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_layer_matches_torch

TOKENS = np.array([[1, 4, 0, 0], [3, 3, 2, 9]])


def test_matches_torch_embedding_values_and_gradients():
    assert_layer_matches_torch(layers.Embedding(10, 3), TOKENS, torch.nn.functional.embedding,
                               atol=1e-6)


def test_layer_contract_and_keras_default_initializer():
    layer = run_layer_test(layers.Embedding, {"input_dim": 50, "output_dim": 4},
                           input_shape=(2, 3), expected_output_shape=(2, 3, 4),
                           expected_num_weights=1, input_dtype="int64",
                           input_data=np.array([[1, 2, 3], [4, 0, 49]]))
    table = layer.get_weights()[0]
    assert table.shape == (50, 4) and np.abs(table).max() <= 0.05 and table.std() > 0.01
    assert layer.get_config()["embeddings_initializer"]["class_name"] == "RandomUniform"


def test_mask_zero_makes_a_mask_and_float_tokens_work():
    out = layers.Embedding(10, 3, mask_zero=True)(TOKENS.astype("float32"))
    assert out.shape == (2, 4, 3)
    np.testing.assert_array_equal(out._keras_mask.numpy(), TOKENS != 0)
    assert getattr(layers.Embedding(10, 3)(TOKENS), "_keras_mask", None) is None


def test_initial_weights_and_errors():
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = layers.Embedding(3, 2, weights=table)
    np.testing.assert_array_equal(layer(np.array([[2, 0]]))[0].detach().numpy(), table[[2, 0]])
    with pytest.raises(ValueError, match="'emb'.*output_dim.*0"):
        layers.Embedding(3, 0, name="emb")


def test_symbolic_mask_reaches_a_model_output():
    inputs = minilib.Input((4,), dtype="int64")
    model = minilib.Model(inputs, layers.Embedding(10, 3, mask_zero=True)(inputs))
    assert model.output.shape == (None, 4, 3)
    np.testing.assert_array_equal(model(TOKENS)._keras_mask.numpy(), TOKENS != 0)


def test_an_index_past_input_dim_names_the_layer_and_the_range():
    layer = layers.Embedding(input_dim=10, output_dim=2, name="words")
    with pytest.raises(IndexError, match=r"Embedding layer 'words' has rows 0\.\.9 "
                                         r"\(input_dim=10\), but received indices from 3 to 12"):
        layer(np.array([[3, 12]]))
