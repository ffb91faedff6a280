"""The fused torch kernels that layers run for speed equal the readable code they stand for.

Dense's readable `call` is `activation(inputs @ kernel + bias)`; an RNN's is its cell looped
over the steps (`RNN._loop`). By default they run `fused_linear` and torch's fused recurrent
kernels instead (`minilib/layers/rnn/fused_kernels.py`); `layer.use_fused_kernel = False`
runs the readable code. Each test runs one layer both ways, on the same weights and
inputs, and compares the outputs, the final states and the gradients with respect to the
inputs, the initial states and every weight: in float64 to 1e-10, in float32 to 1e-5.
"""

import numpy as np
import pytest
import torch

from minilib import layers, random

TOLERANCE = {"float64": 1e-10, "float32": 1e-5}
DTYPES = sorted(TOLERANCE)
RNNS = [("LSTM", {}), ("GRU", {}), ("SimpleRNN", {}), ("SimpleRNN", {"activation": "relu"})]
RNN_IDS = ["LSTM", "GRU", "SimpleRNN-tanh", "SimpleRNN-relu"]
SHAPES = [(3, 5, 4, 6), (1, 1, 2, 3), (4, 7, 1, 2)]  # batch, steps, features, units


def random_tensor(*shape, dtype, seed):
    values = np.random.default_rng(seed).uniform(-1.0, 1.0, shape)
    return torch.as_tensor(values, dtype=getattr(torch, dtype))


def random_like(tensor, seed):
    values = np.random.default_rng(seed).uniform(-1.0, 1.0, tensor.shape)
    return torch.as_tensor(values, dtype=tensor.dtype)


def take_fused_path(layer, fused):
    """Switch a layer (both directions of a Bidirectional) to the fused or readable path."""
    directions = [layer.forward_layer, layer.backward_layer] \
        if isinstance(layer, layers.Bidirectional) else [layer]
    for direction in directions:
        direction.use_fused_kernel = fused


def run_both_ways(layer, inputs, **call_kwargs):
    """The layer's outputs and gradients, fused then readable: two lists of tensors.

    The gradients are those of a random weighted sum of every output (so that no
    gradient is summed away), with respect to every float tensor in the call
    (inputs and initial states) and every trainable weight.
    """
    results = []
    for fused in (True, False):
        take_fused_path(layer, fused)
        leaves = [inputs, *call_kwargs.get("initial_state", [])]
        leaves = [leaf.detach().requires_grad_() for leaf in leaves]
        kwargs = dict(call_kwargs)
        if "initial_state" in kwargs:
            kwargs["initial_state"] = leaves[1:]
        outputs = layer(leaves[0], **kwargs)
        outputs = list(outputs) if isinstance(outputs, list | tuple) else [outputs]
        weighted_sum = sum((output * random_like(output, seed=index)).sum()
                           for index, output in enumerate(outputs))
        gradients = torch.autograd.grad(weighted_sum, [*leaves, *layer.trainable_weights])
        results.append([*(output.detach() for output in outputs), *gradients])
    return results


def assert_fused_equals_readable(layer, inputs, dtype, **call_kwargs):
    fused, readable = run_both_ways(layer, inputs, **call_kwargs)
    assert len(fused) == len(readable)
    for got, want in zip(fused, readable, strict=True):
        torch.testing.assert_close(got, want, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


def rnn_layer(kind, options, units, dtype, **kwargs):
    # Random biases, so that a bias put in the wrong place would show.
    return getattr(layers, kind)(units, bias_initializer="random_normal", dtype=dtype,
                                 **options, **kwargs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4)], ids=["2-D", "3-D"])
@pytest.mark.parametrize("use_bias", [True, False])
def test_dense_fused_linear_equals_inputs_at_kernel_plus_bias(dtype, shape, use_bias):
    layer = layers.Dense(3, activation="tanh", use_bias=use_bias,
                         bias_initializer="random_normal", dtype=dtype)
    assert_fused_equals_readable(layer, random_tensor(*shape, dtype=dtype, seed=1), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind, options", RNNS, ids=RNN_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=["3x5x4-6", "one-step", "one-feature"])
@pytest.mark.parametrize("return_sequences, go_backwards",
                         [(False, False), (True, False), (False, True), (True, True)])
def test_rnn_fused_kernel_equals_the_cell_loop(dtype, kind, options, shape, return_sequences,
                                               go_backwards):
    batch, steps, features, units = shape
    layer = rnn_layer(kind, options, units, dtype, return_sequences=return_sequences,
                      go_backwards=go_backwards, return_state=True)
    inputs = random_tensor(batch, steps, features, dtype=dtype, seed=2)
    initial_state = [random_tensor(batch, units, dtype=dtype, seed=3 + i)
                     for i in range(len(layer.state_size))]
    assert_fused_equals_readable(layer, inputs, dtype, initial_state=initial_state)


@pytest.mark.parametrize("kind, options", RNNS, ids=RNN_IDS)
def test_rnn_fused_kernel_without_bias_equals_the_cell_loop(kind, options):
    layer = getattr(layers, kind)(4, use_bias=False, return_sequences=True, dtype="float64",
                                  **options)
    assert_fused_equals_readable(layer, random_tensor(2, 5, 3, dtype="float64", seed=4),
                                 "float64")


@pytest.mark.parametrize("kind, options", RNNS, ids=RNN_IDS)
def test_input_dropout_fused_equals_the_cell_loop_with_the_same_mask(kind, options):
    # Input dropout keeps the fused path (the sequence is masked once); with the same seed
    # both paths draw the same mask.
    layer = rnn_layer(kind, options, 4, "float64", dropout=0.5, seed=7, return_sequences=True)
    inputs = random_tensor(2, 5, 3, dtype="float64", seed=5)
    layer(inputs)
    results = []
    for fused in (True, False):
        layer.cell.seed_generator = random.SeedGenerator(7)
        layer.use_fused_kernel = fused
        results.append(layer(inputs, training=True))
    torch.testing.assert_close(*results, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind, options", RNNS, ids=RNN_IDS)
def test_bidirectional_fused_equals_the_cell_loops(dtype, kind, options):
    layer = layers.Bidirectional(rnn_layer(kind, options, 4, dtype, return_sequences=True,
                                           return_state=True))
    assert_fused_equals_readable(layer, random_tensor(3, 6, 2, dtype=dtype, seed=6), dtype)


def test_gru_reset_before_has_no_fused_kernel_and_runs_the_cell_loop():
    gru = layers.GRU(4, reset_after=False)
    gru.build((2, 5, 3))
    assert not gru._can_fuse((None, None))


@pytest.mark.parametrize("kind, options", RNNS, ids=RNN_IDS)
def test_the_fused_kernel_is_what_runs_by_default(kind, options, monkeypatch):
    layer = getattr(layers, kind)(4, **options)
    inputs = random_tensor(2, 5, 3, dtype="float32", seed=0)
    layer(inputs)

    def no_step(*args, **kwargs):
        raise AssertionError("the cell loop ran")
    monkeypatch.setattr(layer.cell, "call", no_step)
    assert layer(inputs).shape == (2, 4)
    layer.use_fused_kernel = False
    with pytest.raises(AssertionError, match="the cell loop ran"):
        layer(inputs)
