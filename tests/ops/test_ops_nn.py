"""minilib.ops nn: activations, one-hot encodings, crossentropies and moments."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from minilib import ops
from minilib.backend import config
from tests.helpers.torch_oracle import assert_matches_torch, random_floats

X = random_floats(4, 5, low=-8.0, high=8.0)

ACTIVATIONS = [
    (ops.relu, torch.relu),
    (ops.relu6, F.relu6),
    (ops.sigmoid, torch.sigmoid),
    (ops.softplus, F.softplus),
    (ops.softsign, F.softsign),
    (ops.silu, F.silu),
    (ops.swish, F.silu),
    (ops.leaky_relu, lambda x: F.leaky_relu(x, 0.2)),  # Keras's default slope, not torch's
    (ops.hard_sigmoid, F.hardsigmoid),
    (ops.hard_silu, F.hardswish),
    (ops.hard_swish, F.hardswish),
    (ops.elu, F.elu),
    (ops.selu, F.selu),
    (ops.gelu, lambda x: F.gelu(x, approximate="tanh")),  # ops.gelu approximates by default
    (ops.softmax, lambda x: torch.softmax(x, dim=-1)),
    (ops.log_softmax, lambda x: torch.log_softmax(x, dim=-1)),
]


@pytest.mark.parametrize("minilib_fn, torch_fn", ACTIVATIONS, ids=lambda f: f.__name__)
def test_activations_match_torch(minilib_fn, torch_fn):
    assert_matches_torch(minilib_fn, torch_fn, X, atol=1e-5)


def test_activation_arguments():
    assert_matches_torch(lambda x: ops.gelu(x, approximate=False), F.gelu, X, atol=1e-5)
    assert_matches_torch(lambda x: ops.elu(x, alpha=0.5), lambda x: F.elu(x, 0.5), X)
    assert_matches_torch(lambda x: ops.leaky_relu(x, negative_slope=0.01), F.leaky_relu, X)
    assert_matches_torch(lambda x: ops.softmax(x, axis=0), lambda x: torch.softmax(x, 0), X)


def test_hard_sigmoid_is_relu6_shifted():
    x = np.array([-4.0, -3.0, 0.0, 1.5, 3.0, 4.0], dtype=np.float32)
    np.testing.assert_allclose(ops.hard_sigmoid(x).numpy(), np.clip(x + 3, 0, 6) / 6)


def test_softmax_of_ints_gives_floats():
    np.testing.assert_allclose(ops.softmax(np.array([0, 0])).numpy(), [0.5, 0.5])


# One-hot ----------------------------------------------------------------------


def test_one_hot_matches_torch_and_defaults_to_floatx():
    labels = np.array([[0, 2], [1, 1]])
    encoded = ops.one_hot(labels, 3)
    assert encoded.dtype == torch.float32
    np.testing.assert_array_equal(encoded.numpy(), F.one_hot(torch.tensor(labels), 3).numpy())


def test_one_hot_axis_and_dtype():
    encoded = ops.one_hot(np.array([[0, 2], [1, 1]]), 3, axis=0, dtype="int32")
    assert encoded.shape == (3, 2, 2) and encoded.dtype == torch.int32
    np.testing.assert_array_equal(encoded[:, 0, 1].numpy(), [0, 0, 1])


def test_one_hot_out_of_range_labels_give_zero_rows():
    np.testing.assert_array_equal(ops.one_hot([-1, 3, 1], 3).numpy(),
                                  [[0, 0, 0], [0, 0, 0], [0, 1, 0]])


def test_multi_hot():
    np.testing.assert_array_equal(ops.multi_hot([[0, 2], [1, 1]], 4).numpy(),
                                  [[1, 0, 1, 0], [0, 1, 0, 0]])
    np.testing.assert_array_equal(ops.multi_hot([3, 0, 3], 4).numpy(), [1, 0, 0, 1])
    with pytest.raises(ValueError, match="num_classes"):
        ops.multi_hot([1, 2])


# Crossentropies ---------------------------------------------------------------

LOGITS = random_floats(6, 4)
PROBABILITIES = torch.softmax(torch.tensor(LOGITS), -1).numpy()
LABELS = np.array([0, 3, 1, 1, 2, 0])
ONE_HOT = np.eye(4, dtype=np.float32)[LABELS]
BINARY_TARGETS = (random_floats(6, 4, seed=3) > 0).astype(np.float32)


def test_binary_crossentropy_from_logits_matches_torch():
    assert_matches_torch(
        lambda t, z: ops.binary_crossentropy(t, z, from_logits=True),
        lambda t, z: F.binary_cross_entropy_with_logits(z, t, reduction="none"),
        BINARY_TARGETS, LOGITS)


def test_binary_crossentropy_from_probabilities_matches_torch():
    probabilities = 1 / (1 + np.exp(-LOGITS))
    assert_matches_torch(
        ops.binary_crossentropy,
        lambda t, p: F.binary_cross_entropy(p, t, reduction="none"),
        BINARY_TARGETS, probabilities, atol=1e-5)


def test_binary_crossentropy_clips_probabilities_to_epsilon():
    # A confident wrong answer costs about -log(epsilon) = 16.1, not infinity.
    loss = ops.binary_crossentropy([1.0, 0.0], [0.0, 1.0])
    # In float32, 1 - 1e-7 rounds to 1 - 1.19e-7, so the second loss is a bit smaller.
    upper = np.float32(1.0 - config.epsilon())
    np.testing.assert_allclose(loss.numpy(), [-np.log(config.epsilon()), -np.log(1.0 - upper)],
                               rtol=1e-4)


def test_categorical_crossentropy_from_logits_matches_torch():
    assert_matches_torch(
        lambda t, z: ops.categorical_crossentropy(t, z, from_logits=True),
        lambda t, z: F.cross_entropy(z, t, reduction="none"), ONE_HOT, LOGITS, atol=1e-5)


def _keras_log_probabilities(p):
    """Keras's recipe for probabilities: renormalise, clip to [eps, 1 - eps], take the log."""
    p = p / p.sum(-1, keepdim=True)
    return torch.log(p.clamp(config.epsilon(), 1.0 - config.epsilon()))


def test_categorical_crossentropy_from_probabilities_matches_torch():
    assert_matches_torch(
        ops.categorical_crossentropy,
        lambda t, p: -(t * _keras_log_probabilities(p)).sum(-1), ONE_HOT, PROBABILITIES,
        atol=1e-5)


def test_categorical_crossentropy_renormalises_and_clips_probabilities():
    unnormalised = np.array([[2.0, 6.0], [0.0, 1.0]], dtype=np.float32)
    loss = ops.categorical_crossentropy(np.array([[0.0, 1.0], [1.0, 0.0]]), unnormalised)
    np.testing.assert_allclose(loss.numpy(), [-np.log(0.75), -np.log(config.epsilon())],
                               rtol=1e-3)


def test_categorical_crossentropy_checks_shapes():
    with pytest.raises(ValueError, match="same shape"):
        ops.categorical_crossentropy(ONE_HOT[:, :3], PROBABILITIES)


@pytest.mark.parametrize("from_logits", [True, False])
def test_sparse_categorical_crossentropy_matches_torch(from_logits):
    outputs = LOGITS if from_logits else PROBABILITIES
    log_probabilities = torch.log_softmax if from_logits else _keras_log_probabilities
    assert_matches_torch(
        lambda t, o: ops.sparse_categorical_crossentropy(t, o, from_logits=from_logits),
        lambda t, o: F.nll_loss(log_probabilities(o, -1) if from_logits
                                else log_probabilities(o), t, reduction="none"),
        LABELS, outputs, atol=1e-5)


def test_sparse_categorical_crossentropy_equals_categorical_on_one_hot():
    sparse = ops.sparse_categorical_crossentropy(LABELS, PROBABILITIES)
    dense = ops.categorical_crossentropy(ONE_HOT, PROBABILITIES)
    np.testing.assert_allclose(sparse.numpy(), dense.numpy(), rtol=1e-6)


def test_sparse_categorical_crossentropy_accepts_a_trailing_unit_axis():
    loss = ops.sparse_categorical_crossentropy(LABELS[:, None], LOGITS, from_logits=True)
    assert loss.shape == (6,)


def test_sparse_categorical_crossentropy_class_axis():
    logits = random_floats(2, 4, 3)  # (batch, classes, positions), torch's layout
    labels = np.array([[0, 3, 1], [2, 2, 0]])
    assert_matches_torch(
        lambda t, z: ops.sparse_categorical_crossentropy(t, z, from_logits=True, axis=1),
        lambda t, z: F.cross_entropy(z, t, reduction="none"), labels, logits, atol=1e-5)


# Moments ----------------------------------------------------------------------


@pytest.mark.parametrize("axes", [0, [0, 1], (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_moments_match_torch(axes, keepdims):
    dims = tuple(axes) if isinstance(axes, list) else axes
    assert_matches_torch(
        lambda x: ops.moments(x, axes, keepdims=keepdims),
        lambda x: (x.mean(dim=dims, keepdim=keepdims),
                   x.var(dim=dims, keepdim=keepdims, correction=0)),
        random_floats(3, 4, 5), atol=1e-5)


@pytest.mark.parametrize("input_shape", [(4, 3), (2, 4, 3)])
def test_linear_matches_matmul_plus_bias(input_shape):
    assert_matches_torch(ops.linear, lambda x, k, b: x @ k + b,
                         random_floats(*input_shape), random_floats(3, 5, seed=1),
                         random_floats(5, seed=2))
    assert_matches_torch(lambda x, k: ops.linear(x, k), lambda x, k: x @ k,
                         random_floats(*input_shape), random_floats(3, 5, seed=1))
