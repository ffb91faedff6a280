"""Check minilib against plain PyTorch: forward values and gradients.

Most of minilib wraps torch, and the surest test of a wrapper is to run it side
by side with the torch code it should equal. There are two checks, one per
kind of thing under test:

- `assert_matches_torch(minilib_fn, torch_fn, *arrays)` for a function: an op,
  a loss, or a layer without weights (pooling, merging, reshaping...)::

      from tests.helpers.torch_oracle import assert_matches_torch, random_floats

      def test_softmax():
          assert_matches_torch(ops.softmax, lambda x: torch.softmax(x, dim=-1),
                               random_floats(4, 3))

- `assert_layer_matches_torch(layer, inputs, reference)` for a layer with
  weights. The reference gets the layer's weights as extra arguments, in
  Keras's layouts, and converts them to torch's itself (that conversion is
  what the test teaches)::

      def test_dense():
          layer = layers.Dense(3)
          assert_layer_matches_torch(layer, random_floats(6, 4),
                                     lambda x, kernel, bias: x @ kernel + bias)

Both sides get their own fresh leaf tensors made from the same NumPy arrays
(float arrays require gradients; integer and bool arrays, such as token ids or
class indices, do not). Then the helper

1. compares the outputs: values, shapes and dtypes;
2. backpropagates the same random cotangent through both outputs and compares
   the gradient of every float input (and, for a layer, of every trainable
   weight).

Why a random cotangent and not `output.sum()`? Summing hides mistakes: the
entries of a softmax always sum to 1, so the gradient of the sum is zero
whatever the implementation does. A random weighting of the outputs makes
every output entry count.
"""

import numpy as np
import torch


def random_floats(*shape, low=-3.0, high=3.0, seed=0):
    """A float32 NumPy array of `shape` with values drawn uniformly from `[low, high)`."""
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=shape).astype(np.float32)


def assert_matches_torch(minilib_fn, torch_fn, *arrays, atol=1e-6, rtol=1e-5,
                         check_grads=True, seed=0):
    """Assert that `minilib_fn(*arrays)` equals `torch_fn(*arrays)` in value and gradient.

    Args:
        minilib_fn: the function under test; called with torch tensors.
        torch_fn: the reference written in plain torch; same arguments.
        *arrays: NumPy arrays (or numbers) that both functions receive as tensors.
        atol, rtol: tolerances for `torch.testing.assert_close`.
        check_grads: also compare gradients with respect to the float inputs.
        seed: seed of the random cotangent used for the backward pass.
    """
    our_inputs, reference_inputs = _leaf_tensors(arrays), _leaf_tensors(arrays)
    _assert_same_results(
        minilib_fn(*our_inputs), torch_fn(*reference_inputs),
        _differentiable(our_inputs), _differentiable(reference_inputs),
        atol=atol, rtol=rtol, seed=seed, check_grads=check_grads)


def assert_layer_matches_torch(layer, inputs, reference, call=None, atol=1e-5, rtol=1e-5,
                               seed=0):
    """Assert that `layer(*inputs)` equals `reference(*inputs, *layer.weights)`, gradients too.

    Args:
        layer: the layer under test. If it is not built yet, a first call on
            `inputs` builds it, so the reference sees the weights it will use.
        inputs: a NumPy array, or a tuple of arrays for a layer that takes several
            (an attention layer's query and value, an LSTM's input and initial states).
        reference: the same computation in plain torch. It gets fresh leaf tensors:
            the inputs, then every weight in `layer.weights` order and Keras's layout
            (trainable weights require gradients, moving statistics do not). It returns
            a tensor, or a tuple when the layer returns several (an RNN's output and
            states).
        call: how the layer is called, `call(layer, *inputs)`; `layer(*inputs)` by
            default. For example `lambda layer, x: layer(x, training=True)`.
        atol, rtol: tolerances for `torch.testing.assert_close`, values and gradients.
        seed: seed of the random cotangent used for the backward pass.

    The gradients compared are those of every float input and every trainable weight.
    """
    inputs = inputs if isinstance(inputs, tuple) else (inputs,)
    call = call or (lambda layer, *tensors: layer(*tensors))
    if not layer.built:
        with torch.no_grad():
            call(layer, *_leaf_tensors(inputs))
    weights = layer.weights
    reference_weights = [w.detach().clone().requires_grad_(w.requires_grad) for w in weights]
    our_inputs, reference_inputs = _leaf_tensors(inputs), _leaf_tensors(inputs)
    _assert_same_results(
        call(layer, *our_inputs), reference(*reference_inputs, *reference_weights),
        _differentiable(our_inputs) + [(w.path, w) for w in weights if w.requires_grad],
        _differentiable(reference_inputs) + [(w.path, r) for w, r in zip(
            weights, reference_weights, strict=True) if w.requires_grad],
        atol=atol, rtol=rtol, seed=seed)


def _leaf_tensors(arrays):
    """New leaf tensors from `arrays`; the float ones track gradients."""
    tensors = []
    for array in arrays:
        tensor = torch.tensor(np.asarray(array))
        tensors.append(tensor.requires_grad_() if tensor.is_floating_point() else tensor)
    return tensors


def _differentiable(inputs):
    """`(name, tensor)` for each input that gradients are compared for."""
    return [(f"input {i}", t) for i, t in enumerate(inputs) if t.requires_grad]


def _as_list(output):
    return list(output) if isinstance(output, tuple | list) else [output]


def _assert_same_results(ours, expected, our_sources, expected_sources, atol, rtol, seed,
                         check_grads=True):
    """Compare the outputs, then the gradients of the same random cotangent.

    `our_sources` and `expected_sources` are matching `(name, tensor)` lists of the
    tensors that gradients are compared for.
    """
    ours, expected = _as_list(ours), _as_list(expected)
    assert len(ours) == len(expected), f"{len(ours)} outputs, expected {len(expected)}"
    for index, (got, want) in enumerate(zip(ours, expected, strict=True)):
        torch.testing.assert_close(got, want, atol=atol, rtol=rtol,
                                   msg=lambda m, i=index: f"output {i}: {m}")

    differentiable = [i for i, out in enumerate(expected) if out.requires_grad]
    if not (check_grads and differentiable and expected_sources):
        return
    for i in differentiable:
        assert ours[i].requires_grad, f"output {i} is cut off from autograd"
    rng = np.random.default_rng(seed)
    cotangents = [torch.tensor(rng.standard_normal(expected[i].shape), dtype=expected[i].dtype)
                  for i in differentiable]

    def gradients(outputs, sources):
        tensors = [tensor for _, tensor in sources]
        grads = torch.autograd.grad([outputs[i] for i in differentiable], tensors, cotangents,
                                    allow_unused=True)
        return [torch.zeros_like(t) if g is None else g for t, g in zip(tensors, grads,
                                                                         strict=True)]

    our_grads = gradients(ours, our_sources)
    expected_grads = gradients(expected, expected_sources)
    for (name, _), got, want in zip(our_sources, our_grads, expected_grads, strict=True):
        torch.testing.assert_close(got, want, atol=atol, rtol=rtol,
                                   msg=lambda m, n=name: f"gradient of {n}: {m}")
