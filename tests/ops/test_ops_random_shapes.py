"""Property tests: ops and losses on shapes that hypothesis draws, against NumPy oracles.

The fixed-case tests beside this file check each op on one or two shapes. Shapes are where
broadcasting, `axis` and `keepdims` go wrong, so here hypothesis draws them: rank 0 to 4,
each side 1 to 5, and an axis argument that fits. When a property fails, hypothesis shrinks
the case to the smallest shape and values that still fail, and prints them.

Exact values keep the oracles sharp. Elements that are multiples of 1/4 between -2 and 2
add and multiply without rounding in float32 (a sum of 625 of them needs 15 bits of the
24), so sums, extremes and matrix products must equal NumPy's to the last bit: any
difference is a bug, never rounding. Where rounding cannot be avoided (means, variances,
exponentials) the oracle runs in float64 and the tolerance is a few float32 epsilons times
the number of terms.
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minilib
from minilib import ops

EPS = float(np.finfo(np.float32).eps)
SIDES = {"min_side": 1, "max_side": 5}
SMALL = settings(max_examples=30, deadline=None)

quarters = st.integers(-8, 8).map(lambda k: k / 4)  # exact in float32, sums stay exact
floats = st.floats(-10, 10, width=32)
unit_floats = st.floats(-1, 1, width=32)
divisors = st.floats(0.5, 10, width=32) | st.floats(-10, -0.5, width=32)


def arrays(shape, elements=quarters):
    return hnp.arrays(np.float32, shape, elements=elements)


def assert_same(got, expected):
    """The same shape, dtype and bits as NumPy's result."""
    got = got.detach().numpy()
    assert got.shape == np.shape(expected)
    assert got.dtype == np.asarray(expected).dtype
    np.testing.assert_array_equal(got, expected)


def assert_close(got, expected, terms=1, scale=1.0):
    """float32 `got` as near the float64 `expected` as float32 rounding allows.

    `terms` is how many rounded values were combined into each result, `scale` how big
    they are: each may be off by an epsilon of its size, and a few more for luck.
    """
    got = got.detach().numpy()
    assert got.shape == np.shape(expected) and got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=4 * terms * EPS, atol=4 * terms * EPS * scale)


# Broadcasting binary ops --------------------------------------------------------------------

BINARY = [(ops.add, np.add), (ops.subtract, np.subtract), (ops.multiply, np.multiply),
          (ops.maximum, np.maximum), (ops.minimum, np.minimum)]


@pytest.mark.parametrize("minilib_op, numpy_op", BINARY, ids=lambda op: op.__name__)
@SMALL
@given(data=st.data(),
       shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, **SIDES))
def test_binary_ops_broadcast_like_numpy(minilib_op, numpy_op, data, shapes):
    # One IEEE operation per element: float32 in, the correctly rounded float32 out.
    x1 = data.draw(arrays(shapes.input_shapes[0], floats), label="x1")
    x2 = data.draw(arrays(shapes.input_shapes[1], floats), label="x2")
    assert_same(minilib_op(x1, x2), numpy_op(x1, x2))


@SMALL
@given(data=st.data(),
       shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, **SIDES))
def test_divide_broadcasts_like_numpy(data, shapes):
    x1 = data.draw(arrays(shapes.input_shapes[0], floats), label="x1")
    x2 = data.draw(arrays(shapes.input_shapes[1], divisors), label="x2")
    assert_same(ops.divide(x1, x2), np.divide(x1, x2))


@SMALL
@given(x=arrays(hnp.array_shapes(min_dims=0, max_dims=4, **SIDES), floats), number=floats)
def test_a_python_number_on_either_side_broadcasts_and_keeps_float32(x, number):
    number = float(number)
    assert_same(ops.multiply(number, x), np.float32(number) * x)
    assert_same(ops.subtract(x, number), x - np.float32(number))


# Reductions with axis and keepdims -----------------------------------------------------------


@st.composite
def arrays_and_axes(draw, elements=quarters):
    """An array of rank 0 to 4 and an axis argument it accepts: None, an int or a tuple."""
    x = draw(arrays(hnp.array_shapes(min_dims=0, max_dims=4, **SIDES), elements))
    choices = [st.none()]
    if x.ndim:
        # the empty tuple too: it reduces nothing, in NumPy, Keras and minilib
        choices += [st.integers(-x.ndim, x.ndim - 1), hnp.valid_tuple_axes(x.ndim)]
    return x, draw(st.one_of(choices))


def terms_per_result(x, axis):
    """How many elements each output of a reduction over `axis` combines."""
    return x.size // np.sum(x, axis=axis).size


@pytest.mark.parametrize("minilib_op, numpy_op", [(ops.sum, np.sum), (ops.max, np.max),
                                                  (ops.min, np.min)],
                         ids=lambda op: op.__name__)
@SMALL
@given(x_and_axis=arrays_and_axes(), keepdims=st.booleans())
def test_exact_reductions_match_numpy_bit_for_bit(minilib_op, numpy_op, x_and_axis, keepdims):
    x, axis = x_and_axis
    assert_same(minilib_op(x, axis=axis, keepdims=keepdims),
                numpy_op(x, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("minilib_op, numpy_op", [(ops.mean, np.mean), (ops.var, np.var),
                                                  (ops.std, np.std)],
                         ids=lambda op: op.__name__)
@SMALL
@given(x_and_axis=arrays_and_axes(floats), keepdims=st.booleans())
def test_rounded_reductions_match_float64_numpy(minilib_op, numpy_op, x_and_axis, keepdims):
    x, axis = x_and_axis
    expected = numpy_op(x.astype(np.float64), axis=axis, keepdims=keepdims)
    got = minilib_op(x, axis=axis, keepdims=keepdims)
    if numpy_op is np.std:
        # Near zero a square root magnifies rounding: compare the variance it came from.
        got, expected = got.square(), expected ** 2
    scale = 10.0 if numpy_op is np.mean else 100.0  # values reach 10, so variances 100
    assert_close(got, expected, terms_per_result(x, axis), scale)


@SMALL
@given(x_and_axis=arrays_and_axes(st.integers(-2, 2).map(float)), keepdims=st.booleans())
def test_prod_matches_numpy_over_any_axes(x_and_axis, keepdims):
    # minilib's prod folds one axis at a time; small integers keep every product exact.
    x, axis = x_and_axis
    assert_same(ops.prod(x, axis=axis, keepdims=keepdims),
                np.prod(x, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("minilib_op, numpy_op", [(ops.argmax, np.argmax),
                                                  (ops.argmin, np.argmin)],
                         ids=lambda op: op.__name__)
@SMALL
@given(data=st.data(), x=arrays(hnp.array_shapes(min_dims=1, max_dims=4, **SIDES)),
       keepdims=st.booleans())
def test_argmax_argmin_pick_the_first_extreme_like_numpy(minilib_op, numpy_op, data, x,
                                                         keepdims):
    # Multiples of 1/4 repeat often, so ties are common: the first index wins, as in NumPy.
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1), label="axis")
    assert_same(minilib_op(x, axis=axis, keepdims=keepdims),
                numpy_op(x, axis=axis, keepdims=keepdims).astype(np.int32))


# matmul and softmax -------------------------------------------------------------------------


@SMALL
@given(data=st.data(), shapes=hnp.mutually_broadcastable_shapes(
    signature=np.matmul.signature, max_dims=2, **SIDES))
def test_matmul_broadcasts_batch_axes_and_promotes_vectors_like_numpy(data, shapes):
    # The signature "(n?,k),(k,m?)->(n?,m?)" draws vectors as well as stacks of matrices.
    x1 = data.draw(arrays(shapes.input_shapes[0]), label="x1")
    x2 = data.draw(arrays(shapes.input_shapes[1]), label="x2")
    assert_same(ops.matmul(x1, x2), np.matmul(x1, x2))


def log_softmax_float64(x, axis):
    x = x.astype(np.float64)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


@SMALL
@given(data=st.data(),
       x=arrays(hnp.array_shapes(min_dims=1, max_dims=4, **SIDES), st.floats(-50, 50, width=32)))
def test_softmax_over_any_axis_matches_float64_and_sums_to_one(data, x):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    got = ops.softmax(x, axis=axis)
    assert_close(got, np.exp(log_softmax_float64(x, axis)), terms=x.shape[axis])
    assert_close(got.sum(dim=axis), np.ones(np.delete(x.shape, axis)), terms=x.shape[axis])


# Losses ------------------------------------------------------------------------------------


@st.composite
def predictions_and_targets(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, **SIDES))
    return draw(arrays(shape, unit_floats)), draw(arrays(shape, unit_floats))


@SMALL
@given(pair=predictions_and_targets())
def test_mean_squared_error_is_the_mean_over_the_last_axis_then_over_samples(pair):
    y_pred, y_true = pair
    squared = (y_true.astype(np.float64) - y_pred) ** 2
    per_sample = minilib.losses.MeanSquaredError(reduction=None)(y_true, y_pred)
    assert_close(per_sample, squared.mean(axis=-1), terms=y_pred.shape[-1])
    assert_close(minilib.losses.MeanSquaredError()(y_true, y_pred), squared.mean(),
                 terms=y_pred.size)


def probabilities(draw, shape):
    """Target distributions along the last axis: positive weights, normalised."""
    weights = draw(arrays(shape, st.floats(1 / 16, 1, width=32)), label="target weights")
    return (weights / weights.sum(axis=-1, keepdims=True)).astype(np.float32)


def logits_shapes(min_dims=1):
    """Shapes of rank `min_dims` to 4 whose last axis, the classes, has 2 to 5 entries.

    (A single class is legal but makes the loss 0, and minilib warns about it.)
    """
    return st.tuples(hnp.array_shapes(min_dims=min_dims - 1, max_dims=3, **SIDES),
                     st.integers(2, 5)).map(lambda parts: (*parts[0], parts[1]))


@SMALL
@given(data=st.data(), logits=arrays(logits_shapes(), floats))
def test_categorical_crossentropy_from_logits_and_its_gradient(data, logits):
    targets = probabilities(data.draw, logits.shape)
    samples = logits.size // logits.shape[-1]
    expected = -(targets * log_softmax_float64(logits, -1)).sum(axis=-1).mean()
    logits = torch.tensor(logits, requires_grad=True)
    loss = minilib.losses.CategoricalCrossentropy(from_logits=True)(targets, logits)
    # Logits reach 10, so log-probabilities reach 20.
    assert_close(loss, expected, terms=logits.shape[-1], scale=20.0)
    loss.backward()
    # The textbook gradient: (softmax(logits) - targets), divided by the number of samples.
    softmax = np.exp(log_softmax_float64(logits.detach().numpy(), -1))
    assert_close(logits.grad, (softmax - targets) / samples, terms=logits.shape[-1])


@SMALL
# min_dims=1: one sample without a batch axis too (logits `(classes,)`, a 0-d label), as Keras
@given(data=st.data(), logits=arrays(logits_shapes(min_dims=1), floats))
def test_sparse_categorical_crossentropy_from_logits_picks_the_label(data, logits):
    labels = data.draw(hnp.arrays(np.int64, logits.shape[:-1],
                                  elements=st.integers(0, logits.shape[-1] - 1)), label="labels")
    picked = np.take_along_axis(log_softmax_float64(logits, -1), labels[..., None], axis=-1)
    loss = minilib.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)
    assert_close(loss, -picked.mean(), terms=logits.shape[-1], scale=20.0)


def test_linear_takes_numpy_arrays_for_every_argument():
    x, kernel, bias = np.ones((2, 3), "float32"), np.ones((3, 4), "float32"), np.arange(4.0)
    expected = x @ kernel + bias
    np.testing.assert_allclose(minilib.ops.linear(x, kernel, bias).numpy(), expected)
    np.testing.assert_allclose(minilib.ops.linear(x[None], kernel, bias).numpy(), expected[None])
