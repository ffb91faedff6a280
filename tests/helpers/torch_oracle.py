"""Check a minilib function against plain PyTorch: forward values and gradients.

Most of minilib wraps torch, and the surest test of a wrapper is to run it side
by side with the torch code it should equal::

    from tests.helpers.torch_oracle import assert_matches_torch, random_floats

    def test_softmax():
        assert_matches_torch(ops.softmax, lambda x: torch.softmax(x, dim=-1),
                             random_floats(4, 3))

Both functions get their own fresh leaf tensors made from the same NumPy
arrays (float arrays require gradients; integer and bool arrays, such as class
indices, do not). The helper then

1. compares the outputs: values, shapes and dtypes;
2. backpropagates the same random cotangent through both outputs and compares
   the gradient of every float input.

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


def _leaf_tensors(arrays):
    """New leaf tensors from `arrays`; the float ones track gradients."""
    tensors = []
    for array in arrays:
        tensor = torch.tensor(np.asarray(array))
        tensors.append(tensor.requires_grad_() if tensor.is_floating_point() else tensor)
    return tensors


def _as_list(output):
    return list(output) if isinstance(output, (tuple, list)) else [output]


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
    ours = _as_list(minilib_fn(*our_inputs))
    expected = _as_list(torch_fn(*reference_inputs))
    assert len(ours) == len(expected), f"{len(ours)} outputs, expected {len(expected)}"
    for index, (got, want) in enumerate(zip(ours, expected, strict=True)):
        torch.testing.assert_close(got, want, atol=atol, rtol=rtol,
                                   msg=lambda m, i=index: f"output {i}: {m}")

    differentiable = [i for i, out in enumerate(expected) if out.requires_grad]
    wrt = [i for i, tensor in enumerate(reference_inputs) if tensor.requires_grad]
    if not (check_grads and differentiable and wrt):
        return
    rng = np.random.default_rng(seed)
    cotangents = [torch.tensor(rng.standard_normal(expected[i].shape), dtype=expected[i].dtype)
                  for i in differentiable]
    for i in differentiable:
        assert ours[i].requires_grad, f"output {i} is cut off from autograd"

    def gradients(outputs, inputs):
        grads = torch.autograd.grad([outputs[i] for i in differentiable],
                                    [inputs[i] for i in wrt], cotangents, allow_unused=True)
        return [torch.zeros_like(inputs[i]) if g is None else g
                for i, g in zip(wrt, grads, strict=True)]

    our_grads = gradients(ours, our_inputs)
    expected_grads = gradients(expected, reference_inputs)
    for i, got, want in zip(wrt, our_grads, expected_grads, strict=True):
        torch.testing.assert_close(got, want, atol=atol, rtol=rtol,
                                   msg=lambda m, i=i: f"gradient of input {i}: {m}")


def assert_layer_matches_torch(layer, x, reference, atol=1e-5, rtol=1e-5):
    """`layer(x)` equals `reference(x, *layer.weights)`, and so do all gradients.

    `reference` gets fresh leaf tensors: the input and the weights in Keras's layouts. It
    returns one tensor, or a tuple when the layer returns several (an RNN's output and
    states). The same random cotangent weighs every output in both backward passes; then
    the input's gradient and each weight's are compared.
    """
    ours_in = torch.tensor(x, requires_grad=True)
    ours = _as_list(layer(ours_in))
    ref_in = torch.tensor(x, requires_grad=True)
    ref_weights = [w.detach().clone().requires_grad_() for w in layer.weights]
    expected = _as_list(reference(ref_in, *ref_weights))
    generator = torch.Generator().manual_seed(0)
    cotangents = [torch.randn(e.shape, generator=generator) for e in expected]
    for got, want in zip(ours, expected, strict=True):
        torch.testing.assert_close(got, want, atol=atol, rtol=rtol)
    sum((o * c).sum() for o, c in zip(ours, cotangents, strict=True)).backward()
    sum((e * c).sum() for e, c in zip(expected, cotangents, strict=True)).backward()
    torch.testing.assert_close(ours_in.grad, ref_in.grad, atol=atol, rtol=rtol)
    for weight, ref_weight in zip(layer.weights, ref_weights, strict=True):
        torch.testing.assert_close(weight.grad, ref_weight.grad, atol=atol, rtol=rtol,
                                   msg=lambda m, w=weight: f"gradient of {w.path}: {m}")
