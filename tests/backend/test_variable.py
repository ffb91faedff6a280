"""Variables mix with NumPy arrays the way students write them, without losing gradients."""

import numpy as np
import pytest
import torch

import minilib


@pytest.mark.parametrize("expression", [
    lambda v, a: v * a, lambda v, a: a * v, lambda v, a: v + a, lambda v, a: a - v,
    lambda v, a: a / v, lambda v, a: v @ a, lambda v, a: a @ v,
])
def test_arithmetic_with_numpy_arrays_keeps_the_gradient(expression):
    v = minilib.Variable(np.array([1.0, 2.0, 3.0]))
    a = np.array([2.0, 0.5, 4.0])  # float64: converted to the variable's float32
    result = expression(v, a)
    assert isinstance(result, torch.Tensor) and result.dtype == torch.float32
    result.sum().backward()
    reference = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    expression(reference, torch.as_tensor(a, dtype=torch.float32)).sum().backward()
    torch.testing.assert_close(v.grad, reference.grad)


def test_numpy_conversions_give_copies():
    v = minilib.Variable(np.array([1.0, 2.0]))
    as_array = np.asarray(v)
    v.assign([5.0, 6.0])
    np.testing.assert_array_equal(as_array, [1.0, 2.0])
    assert float(minilib.Variable(3.0)) == 3.0
