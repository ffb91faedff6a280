import numpy as np
import pytest
import torch

import minilib
from minilib import layers
from tests.helpers.torch_oracle import assert_matches_torch, random_floats

A, B, C = random_floats(4, 3, seed=1), random_floats(4, 3, seed=2), random_floats(4, 3, seed=3)


@pytest.mark.parametrize("layer_cls, reference", [
    (layers.Add, lambda a, b, c: a + b + c),
    (layers.Multiply, lambda a, b, c: a * b * c),
    (layers.Average, lambda a, b, c: (a + b + c) / 3),
    (layers.Maximum, lambda a, b, c: torch.maximum(torch.maximum(a, b), c)),
    (layers.Minimum, lambda a, b, c: torch.minimum(torch.minimum(a, b), c)),
])
def test_elementwise_merges_match_torch(layer_cls, reference):
    layer = layer_cls()
    assert_matches_torch(lambda a, b, c: layer([a, b, c]), reference, A, B, C)


def test_subtract_needs_two_inputs():
    assert_matches_torch(lambda a, b: layers.Subtract()([a, b]), lambda a, b: a - b, A, B)
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Subtract()([A, B, C])


def test_concatenate_matches_torch_and_infers_shape():
    assert_matches_torch(lambda a, b: layers.Concatenate()([a, b]),
                         lambda a, b: torch.cat([a, b], dim=-1), A, random_floats(4, 5))
    out = layers.concatenate([minilib.Input(shape=(3,)), minilib.Input(shape=(5,))])
    assert out.shape == (None, 8)
    out = layers.Concatenate(axis=1)([minilib.Input(shape=(2, 3)), minilib.Input(shape=(4, 3))])
    assert out.shape == (None, 6, 3)


def test_functional_forms_build_layers():
    a, b = minilib.Input(shape=(3,)), minilib.Input(shape=(3,))
    for fn in (layers.add, layers.multiply, layers.average, layers.maximum, layers.minimum,
               layers.subtract):
        assert fn([a, b]).shape == (None, 3)


def test_merge_shape_errors_name_layer_and_shapes():
    with pytest.raises(ValueError, match=r"Add layer 'plus'.*\(None, 3\).*\(None, 4\)"):
        layers.Add(name="plus")([minilib.Input(shape=(3,)), minilib.Input(shape=(4,))])
    with pytest.raises(ValueError, match="Concatenate layer 'cat'.*matching sizes"):
        layers.Concatenate(name="cat")([minilib.Input(shape=(2, 3)), minilib.Input(shape=(4, 3))])
    with pytest.raises(ValueError, match="list of tensors"):
        layers.Add()(np.ones((2, 3), dtype="float32"))


def test_add_broadcasts_like_keras():
    out = layers.Add()([minilib.Input(shape=(4, 3)), minilib.Input(shape=(1, 3))])
    assert out.shape == (None, 4, 3)
