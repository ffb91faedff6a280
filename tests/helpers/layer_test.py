"""One helper that checks the contract every layer must keep.

    run_layer_test(layers.Dense, {"units": 3}, input_shape=(2, 4),
                   expected_output_shape=(2, 3), expected_num_weights=2)

A layer called on a list of tensors (Add, Concatenate and the other merging
layers) gets a list of input shapes, one per tensor::

    run_layer_test(layers.Concatenate, {}, input_shape=[(2, 3), (2, 5)],
                   expected_output_shape=(2, 8))

It builds the layer on real data and on symbolic `Input`s, and checks: the
output shape both ways and from `compute_output_shape`, the number of weights,
that `get_config()` and `from_config()` give an equal layer (same config, same
output for the same weights), and that gradients reach every trainable weight.

It does not check the values: compare those with PyTorch, see `torch_oracle.py`.
"""

import numpy as np
import torch

import minilib


def run_layer_test(layer_cls, init_kwargs, input_shape, expected_output_shape,
                   expected_num_weights=None, expected_num_trainable=None, input_dtype="float32",
                   input_data=None, seed=0):
    """Check a layer class end to end; returns the built layer for further checks.

    Args:
        layer_cls, init_kwargs: the layer under test is `layer_cls(**init_kwargs)`.
        input_shape: the shape of the test input, batch size included; or a list of
            shapes for a layer that takes a list of tensors.
        expected_output_shape: the shape of the output, batch size included.
        expected_num_weights, expected_num_trainable: checked when given.
        input_dtype: the dtype of the random input (and of the symbolic one).
        input_data: the input to use instead of random numbers (token ids, say).
        seed: seed of the random input.
    """
    several = _is_list_of_shapes(input_shape)
    shapes = [tuple(s) for s in input_shape] if several else [tuple(input_shape)]
    expected_output_shape = tuple(expected_output_shape)
    if input_data is None:
        rng = np.random.default_rng(seed)
        arrays = [rng.standard_normal(shape).astype(input_dtype) for shape in shapes]
        input_data = arrays if several else arrays[0]

    layer = layer_cls(**init_kwargs)
    output = layer(input_data)
    assert tuple(output.shape) == expected_output_shape, (
        f"{layer_cls.__name__}: output shape {tuple(output.shape)}, "
        f"expected {expected_output_shape}")
    assert tuple(layer.compute_output_shape(shapes if several else shapes[0])) == \
        expected_output_shape
    if expected_num_weights is not None:
        assert len(layer.weights) == expected_num_weights
    if expected_num_trainable is not None:
        assert len(layer.trainable_weights) == expected_num_trainable

    symbolic_inputs = [minilib.Input(batch_shape=(None, *shape[1:]), dtype=input_dtype)
                       for shape in shapes]
    symbolic = layer_cls(**init_kwargs)(symbolic_inputs if several else symbolic_inputs[0])
    assert symbolic.shape == (None, *expected_output_shape[1:])

    config = layer.get_config()
    clone = layer_cls.from_config(config)
    clone_config = clone.get_config()
    assert {k: v for k, v in clone_config.items() if k != "name"} == \
        {k: v for k, v in config.items() if k != "name"}
    clone(input_data)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(_numpy(clone(input_data)), _numpy(layer(input_data)), rtol=1e-6)

    if layer.trainable_weights:
        result = layer(input_data, training=True)
        result.float().square().sum().backward()
        for weight in layer.trainable_weights:
            assert weight.grad is not None, f"no gradient reached {weight.path}"
    return layer


def _is_list_of_shapes(input_shape):
    """`[(2, 3), (2, 5)]` is a list of shapes; `(2, 3)` is one shape."""
    return bool(input_shape) and isinstance(input_shape[0], tuple | list)


def _numpy(tensor):
    return tensor.detach().cpu().numpy() if isinstance(tensor, torch.Tensor) else tensor
