"""One helper that checks the contract every layer must keep.

    run_layer_test(layers.Dense, {"units": 3}, input_shape=(2, 4),
                   expected_output_shape=(2, 3), expected_num_weights=2)

It builds the layer on real data and on a symbolic `Input`, and checks:
the output shape both ways, the number of weights, that `get_config()` and
`from_config()` give an equal layer (same config, same output for the same
weights), and that gradients reach every trainable weight.
"""

import numpy as np
import torch

import minilib


def run_layer_test(layer_cls, init_kwargs, input_shape, expected_output_shape,
                   expected_num_weights=None, expected_num_trainable=None, input_dtype="float32",
                   input_data=None, seed=0):
    """Check a layer class end to end; returns the built layer for further checks."""
    rng = np.random.default_rng(seed)
    if input_data is None:
        input_data = rng.standard_normal(input_shape).astype(input_dtype)

    layer = layer_cls(**init_kwargs)
    output = layer(input_data)
    assert tuple(output.shape) == tuple(expected_output_shape), (
        f"{layer_cls.__name__}: output shape {tuple(output.shape)}, "
        f"expected {tuple(expected_output_shape)}")
    if expected_num_weights is not None:
        assert len(layer.weights) == expected_num_weights
    if expected_num_trainable is not None:
        assert len(layer.trainable_weights) == expected_num_trainable

    symbolic_layer = layer_cls(**init_kwargs)
    symbolic = symbolic_layer(minilib.Input(batch_shape=(None, *input_shape[1:]),
                                            dtype=input_dtype))
    assert symbolic.shape == (None, *tuple(expected_output_shape)[1:])

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


def _numpy(tensor):
    return tensor.detach().cpu().numpy() if isinstance(tensor, torch.Tensor) else tensor
