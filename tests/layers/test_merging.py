"""The merging layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate):
values and gradients against torch, and the layer contract on a list of inputs."""

import numpy as np
import pytest
import torch

import minilib
from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_matches_torch, random_floats

# (layer, its arguments, input shapes, output shape, the same merge in torch)
MERGES = {
    "add": (layers.Add, {}, [(4, 3)] * 3, (4, 3), lambda a, b, c: a + b + c),
    "add_broadcast": (layers.Add, {}, [(4, 2, 3), (4, 1, 3)], (4, 2, 3), torch.add),
    "subtract": (layers.Subtract, {}, [(4, 3)] * 2, (4, 3), torch.sub),
    "multiply": (layers.Multiply, {}, [(4, 3)] * 3, (4, 3), lambda a, b, c: a * b * c),
    "average": (layers.Average, {}, [(4, 3)] * 3, (4, 3), lambda a, b, c: (a + b + c) / 3),
    "maximum": (layers.Maximum, {}, [(4, 3)] * 3, (4, 3),
                lambda a, b, c: torch.maximum(torch.maximum(a, b), c)),
    "minimum": (layers.Minimum, {}, [(4, 3)] * 3, (4, 3),
                lambda a, b, c: torch.minimum(torch.minimum(a, b), c)),
    "concatenate": (layers.Concatenate, {}, [(4, 3), (4, 5)], (4, 8),
                    lambda a, b: torch.cat([a, b], dim=-1)),
    "concatenate_axis1": (layers.Concatenate, {"axis": 1}, [(4, 2, 3), (4, 4, 3), (4, 1, 3)],
                          (4, 7, 3), lambda *tensors: torch.cat(tensors, dim=1)),
}


@pytest.mark.parametrize("case", MERGES)
def test_merge_matches_torch(case):
    layer_cls, kwargs, shapes, _, reference = MERGES[case]
    layer = layer_cls(**kwargs)
    arrays = [random_floats(*shape, seed=i) for i, shape in enumerate(shapes)]
    assert_matches_torch(lambda *tensors: layer(list(tensors)), reference, *arrays)


@pytest.mark.parametrize("case", MERGES)
def test_merge_contract(case):
    layer_cls, kwargs, shapes, output_shape, _ = MERGES[case]
    run_layer_test(layer_cls, kwargs, input_shape=shapes, expected_output_shape=output_shape,
                   expected_num_weights=0)


def test_subtract_needs_two_inputs():
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Subtract()([random_floats(4, 3)] * 3)


def test_concatenate_infers_unknown_sizes():
    out = layers.concatenate([minilib.Input(shape=(3,)), minilib.Input(shape=(None,))])
    assert out.shape == (None, None)


def test_functional_forms_build_layers():
    a, b = minilib.Input(shape=(3,)), minilib.Input(shape=(3,))
    for fn in (layers.add, layers.multiply, layers.average, layers.maximum, layers.minimum,
               layers.subtract):
        assert fn([a, b]).shape == (None, 3)
    assert layers.concatenate([a, b]).shape == (None, 6)


def test_merge_shape_errors_name_layer_and_shapes():
    with pytest.raises(ValueError, match=r"Add layer 'plus'.*\(None, 3\).*\(None, 4\)"):
        layers.Add(name="plus")([minilib.Input(shape=(3,)), minilib.Input(shape=(4,))])
    with pytest.raises(ValueError, match="Concatenate layer 'cat'.*matching sizes"):
        layers.Concatenate(name="cat")([minilib.Input(shape=(2, 3)), minilib.Input(shape=(4, 3))])
    with pytest.raises(ValueError, match="list of tensors"):
        layers.Add()(np.ones((2, 3), dtype="float32"))
