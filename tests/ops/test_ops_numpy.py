"""minilib.ops NumPy-style ops: values and gradients against torch, semantics against NumPy."""

import numpy as np
import pytest
import torch

from minilib import ops
from minilib.backend import config
from tests.helpers.torch_oracle import assert_matches_torch, random_floats


def _name(value):
    """Test ids from function names; the arrays get no id of their own."""
    return getattr(value, "__name__", "")


X = random_floats(3, 4)
Y = random_floats(3, 4, seed=1)
POSITIVE = random_floats(3, 4, low=0.5, high=3.0)
UNIT = random_floats(3, 4, low=-0.9, high=0.9)

UNARY = [
    (ops.negative, torch.neg, X),
    (ops.abs, torch.abs, X),
    (ops.absolute, torch.abs, X),
    (ops.square, torch.square, X),
    (ops.sqrt, torch.sqrt, POSITIVE),
    (ops.exp, torch.exp, X),
    (ops.log, torch.log, POSITIVE),
    (ops.log1p, torch.log1p, POSITIVE),
    (ops.expm1, torch.expm1, X),
    (ops.sign, torch.sign, X),
    (ops.sin, torch.sin, X),
    (ops.cos, torch.cos, X),
    (ops.tanh, torch.tanh, X),
    (ops.arctanh, torch.atanh, UNIT),
    (ops.floor, torch.floor, X),
    (ops.ceil, torch.ceil, X),
    (ops.round, torch.round, X),
    (ops.ravel, torch.ravel, X),
    (ops.isnan, torch.isnan, X),
    (ops.isfinite, torch.isfinite, X),
    (ops.logical_not, torch.logical_not, X),
]


@pytest.mark.parametrize("minilib_fn, torch_fn, x", UNARY, ids=_name)
def test_unary_ops_match_torch(minilib_fn, torch_fn, x):
    assert_matches_torch(minilib_fn, torch_fn, x)


BINARY = [
    (ops.add, torch.add),
    (ops.subtract, torch.subtract),
    (ops.multiply, torch.multiply),
    (ops.divide, torch.divide),
    (ops.true_divide, torch.divide),
    (ops.maximum, torch.maximum),
    (ops.minimum, torch.minimum),
    (ops.equal, torch.eq),
    (ops.not_equal, torch.ne),
    (ops.greater, torch.gt),
    (ops.greater_equal, torch.ge),
    (ops.less, torch.lt),
    (ops.less_equal, torch.le),
    (ops.logical_and, torch.logical_and),
    (ops.logical_or, torch.logical_or),
]


@pytest.mark.parametrize("minilib_fn, torch_fn", BINARY, ids=_name)
def test_binary_ops_broadcast_like_torch(minilib_fn, torch_fn):
    assert_matches_torch(minilib_fn, torch_fn, X, Y[:1])  # (3, 4) with (1, 4)


def test_power_matches_torch():
    assert_matches_torch(ops.power, torch.pow, POSITIVE, Y)


def test_clip_matches_torch_and_accepts_numbers():
    assert_matches_torch(lambda x: ops.clip(x, -1.0, 0.5), lambda x: torch.clamp(x, -1.0, 0.5), X)


def test_int_division_gives_floats():
    assert ops.divide(7, 2).item() == 3.5


def test_where():
    condition = torch.tensor(X > 0)
    assert_matches_torch(lambda a, b: ops.where(condition, a, b),
                         lambda a, b: torch.where(condition, a, b), X, Y)
    np.testing.assert_array_equal(ops.where([1.0, 0.0], 5, -5).numpy(), [5, -5])
    rows, columns = ops.where(np.array([[0, 1], [1, 0]]))
    np.testing.assert_array_equal(rows.numpy(), [0, 1])
    np.testing.assert_array_equal(columns.numpy(), [1, 0])
    with pytest.raises(ValueError, match="both"):
        ops.where(condition, X)


# Linear algebra ---------------------------------------------------------------


def test_matmul_and_einsum_match_torch():
    a, b = random_floats(2, 3, 4), random_floats(4, 5, seed=1)
    assert_matches_torch(ops.matmul, torch.matmul, a, b, atol=1e-5)
    assert_matches_torch(lambda p, q: ops.einsum("bij,jk->bik", p, q),
                         lambda p, q: torch.einsum("bij,jk->bik", p, q), a, b, atol=1e-5)


@pytest.mark.parametrize("shape_a, shape_b", [((), (3,)), ((3,), (3,)), ((2, 3), (3,)),
                                              ((3,), (3, 4)), ((2, 3), (3, 4)),
                                              ((2, 5, 3), (4, 3, 6))])
def test_dot_follows_numpy(shape_a, shape_b):
    a, b = random_floats(*shape_a), random_floats(*shape_b, seed=1)
    np.testing.assert_allclose(ops.dot(a, b).numpy(), np.dot(a, b), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("axes", [1, ([1], [0]), (1, 0)])
def test_tensordot_axes_forms(axes):
    a, b = random_floats(3, 4), random_floats(4, 5, seed=1)
    np.testing.assert_allclose(ops.tensordot(a, b, axes=axes).numpy(), a @ b, rtol=1e-5)


@pytest.mark.parametrize("ord, axis", [(None, None), (1, 1), (2, -1), ("fro", None)])
def test_norm_matches_torch(ord, axis):
    assert_matches_torch(lambda x: ops.norm(x, ord=ord, axis=axis),
                         lambda x: torch.linalg.norm(x, ord=ord, dim=axis), X, atol=1e-5)


# Reductions -------------------------------------------------------------------

REDUCTIONS = [
    (ops.sum, torch.sum),
    (ops.mean, torch.mean),
    (ops.max, torch.amax),
    (ops.min, torch.amin),
    # Keras (like NumPy) divides by n; torch.var and torch.std default to n - 1.
    (ops.var, lambda x, dim, keepdim: torch.var(x, dim=dim, keepdim=keepdim, correction=0)),
    (ops.std, lambda x, dim, keepdim: torch.std(x, dim=dim, keepdim=keepdim, correction=0)),
]


@pytest.mark.parametrize("minilib_fn, torch_fn", REDUCTIONS, ids=_name)
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_match_torch(minilib_fn, torch_fn, axis, keepdims):
    x = random_floats(2, 3, 4)
    assert_matches_torch(lambda t: minilib_fn(t, axis=axis, keepdims=keepdims),
                         lambda t: torch_fn(t, dim=axis, keepdim=keepdims), x, atol=1e-5)


def test_var_and_std_are_population_statistics():
    np.testing.assert_allclose(ops.var(X).item(), np.var(X), rtol=1e-5)
    np.testing.assert_allclose(ops.std(X, axis=0).numpy(), np.std(X, axis=0), rtol=1e-5)


def test_mean_of_ints_is_a_float():
    assert ops.mean(np.array([1, 2])).item() == 1.5


def test_max_and_min_initial():
    np.testing.assert_array_equal(ops.max(np.zeros((2, 3)), axis=1, initial=1.0).numpy(), [1, 1])
    np.testing.assert_array_equal(ops.min(np.zeros((2, 3)), axis=1, initial=-1.0).numpy(),
                                  [-1, -1])


@pytest.mark.parametrize("axis", [None, 1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_prod_matches_numpy(axis, keepdims):
    x = random_floats(2, 3, 4, low=0.5, high=1.5)
    np.testing.assert_allclose(ops.prod(x, axis=axis, keepdims=keepdims).numpy(),
                               np.prod(x, axis=axis, keepdims=keepdims), rtol=1e-5)


def test_prod_gradient_matches_torch():
    assert_matches_torch(lambda x: ops.prod(x, axis=1), lambda x: torch.prod(x, dim=1), X)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (None, True), (1, False), (0, True)])
def test_argmax_argmin_match_numpy(name, axis, keepdims):
    got = getattr(ops, name)(X, axis=axis, keepdims=keepdims)
    assert got.dtype == torch.int32  # as in Keras, where NumPy would give int64
    np.testing.assert_array_equal(got.numpy(), getattr(np, name)(X, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("name", ["all", "any"])
@pytest.mark.parametrize("axis", [None, 0, (0, 1)])
def test_all_any_match_numpy(name, axis):
    x = np.array([[0, 1], [1, 1]])
    got = getattr(ops, name)(x, axis=axis, keepdims=True).numpy()
    np.testing.assert_array_equal(got, getattr(np, name)(x, axis=axis, keepdims=True))


def test_count_nonzero_and_cumsum_match_numpy():
    x = np.array([[0, 1, 2], [3, 0, 0]])
    assert ops.count_nonzero(x).item() == 3
    np.testing.assert_array_equal(ops.count_nonzero(x, axis=1).numpy(), [2, 1])
    np.testing.assert_array_equal(ops.cumsum(x).numpy(), np.cumsum(x))
    np.testing.assert_array_equal(ops.cumsum(x, axis=1).numpy(), np.cumsum(x, axis=1))
    assert_matches_torch(lambda t: ops.cumsum(t, axis=0), lambda t: torch.cumsum(t, 0), X)


# Shapes -----------------------------------------------------------------------


def test_shape_ops_match_torch_with_gradients():
    assert_matches_torch(lambda x: ops.reshape(x, (4, -1)), lambda x: x.reshape(4, 3), X)
    assert_matches_torch(ops.transpose, lambda x: x.T, X)
    assert_matches_torch(lambda x: ops.transpose(x, (0, 2, 1)), lambda x: x.transpose(1, 2),
                         random_floats(2, 3, 4))
    assert_matches_torch(lambda a, b: ops.concatenate([a, b], axis=1),
                         lambda a, b: torch.cat([a, b], dim=1), X, Y)
    assert_matches_torch(lambda a, b: ops.stack([a, b], axis=-1),
                         lambda a, b: torch.stack([a, b], dim=-1), X, Y)
    assert_matches_torch(lambda x: ops.broadcast_to(x, (2, 3, 4)),
                         lambda x: x.expand(2, 3, 4), X)
    assert_matches_torch(lambda x: ops.tile(x, (2, 1)), lambda x: x.repeat(2, 1), X)


@pytest.mark.parametrize("axis", [0, -1, (0, 3), (1, -1)])
def test_expand_dims_matches_numpy(axis):
    x = np.zeros((2, 3))
    assert ops.expand_dims(x, axis).shape == np.expand_dims(x, axis).shape


def test_squeeze():
    x = np.zeros((1, 3, 1))
    assert ops.squeeze(x).shape == (3,)
    assert ops.squeeze(x, axis=-1).shape == (1, 3)
    assert ops.squeeze(x, axis=(0, 2)).shape == (3,)
    with pytest.raises(ValueError, match="size 1"):
        ops.squeeze(x, axis=1)


def test_split_matches_numpy():
    x = np.arange(12).reshape(6, 2)
    for pieces in (3, [1, 4]):
        got = [part.numpy() for part in ops.split(x, pieces)]
        for mine, expected in zip(got, np.split(x, pieces), strict=True):
            np.testing.assert_array_equal(mine, expected)
    with pytest.raises(ValueError, match="equal"):
        ops.split(x, 4)


@pytest.mark.parametrize("repeats, axis", [(2, None), (2, 0), ([1, 0, 2], 1)])
def test_repeat_matches_numpy(repeats, axis):
    x = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(ops.repeat(x, repeats, axis=axis).numpy(),
                                  np.repeat(x, repeats, axis=axis))


# Sorting and indexing ---------------------------------------------------------


def test_sort_and_argsort_match_numpy():
    np.testing.assert_array_equal(ops.sort(X, axis=0).numpy(), np.sort(X, axis=0))
    np.testing.assert_array_equal(ops.argsort(X).numpy(), np.argsort(X, kind="stable"))
    assert_matches_torch(lambda x: ops.sort(x), lambda x: torch.sort(x).values, X)


@pytest.mark.parametrize("indices, axis", [([0, 5, -1], None), ([[2, 0]], 1), ([1], 0),
                                           (np.array([-1, 0]), -1)])
def test_take_matches_numpy(indices, axis):
    np.testing.assert_array_equal(ops.take(X, indices, axis=axis).numpy(),
                                  np.take(X, indices, axis=axis))


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_take_along_axis_matches_numpy(axis):
    indices = np.argsort(X, axis=axis) if axis is not None else np.array([3, -1, 0])
    np.testing.assert_array_equal(ops.take_along_axis(X, indices, axis=axis).numpy(),
                                  np.take_along_axis(X, indices, axis=axis))


def test_take_gradient_matches_torch():
    indices = np.array([2, 0, 2])
    assert_matches_torch(lambda x, i: ops.take(x, i, axis=1),
                         lambda x, i: x[:, i], X, indices)


# Creating tensors -------------------------------------------------------------


def test_creation_defaults_to_floatx_on_the_default_device():
    for tensor in (ops.zeros((2, 3)), ops.ones(4), ops.full((2,), 7), ops.eye(3)):
        assert tensor.dtype == torch.float32
        assert tensor.device == config.device()
    assert ops.zeros(3, dtype="int32").dtype == torch.int32
    np.testing.assert_array_equal(ops.full((2, 2), 7).numpy(), np.full((2, 2), 7.0))


def test_full_accepts_an_array_fill_value():
    np.testing.assert_array_equal(ops.full((2, 2), [1, 2], dtype="int64").numpy(),
                                  [[1, 2], [1, 2]])


def test_like_constructors_keep_shape_and_dtype():
    x = torch.zeros(2, 3, dtype=torch.float64)
    assert ops.zeros_like(x).dtype == torch.float64
    assert ops.ones_like(x, dtype="int32").dtype == torch.int32
    np.testing.assert_array_equal(ops.ones_like(x).numpy(), np.ones((2, 3)))


@pytest.mark.parametrize("args", [(5,), (2, 7), (1, 10, 3), (0.0, 1.0, 0.25)])
def test_arange_matches_numpy(args):
    np.testing.assert_allclose(ops.arange(*args).numpy(), np.arange(*args))


@pytest.mark.parametrize("N, M, k", [(3, None, 0), (3, 5, 1), (4, 2, -1), (2, 3, 5)])
def test_eye_matches_numpy(N, M, k):
    np.testing.assert_array_equal(ops.eye(N, M, k).numpy(), np.eye(N, M, k))


@pytest.mark.parametrize("kwargs", [{}, {"num": 7}, {"num": 4, "endpoint": False}])
def test_linspace_matches_numpy(kwargs):
    np.testing.assert_allclose(ops.linspace(-1.0, 2.0, **kwargs).numpy(),
                               np.linspace(-1.0, 2.0, **kwargs), rtol=1e-6, atol=1e-6)
    values, step = ops.linspace(0, 1, num=5, retstep=True)
    assert step == pytest.approx(0.25) and values.dtype == torch.float32


@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid_matches_numpy(indexing):
    xs, ys = np.arange(3.0), np.arange(4.0)
    ours = ops.meshgrid(xs, ys, indexing=indexing)
    for got, want in zip(ours, np.meshgrid(xs, ys, indexing=indexing), strict=True):
        np.testing.assert_array_equal(got.numpy(), want)
