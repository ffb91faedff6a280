"""minilib.ops core: conversion to and from torch, casting, shapes, stop_gradient."""

import warnings

import numpy as np
import pytest
import torch

from minilib import ops
from minilib.backend import config
from minilib.backend.variable import Variable


@pytest.mark.parametrize(
    "value, dtype",
    [
        (np.zeros(3, dtype=np.float64), torch.float32),  # float64 data becomes floatx
        (np.zeros(3, dtype=np.float32), torch.float32),
        (np.zeros(3, dtype=np.float16), torch.float16),
        (np.zeros(3, dtype=np.int64), torch.int64),
        (np.zeros(3, dtype=np.int32), torch.int32),
        (np.zeros(3, dtype=bool), torch.bool),
        (1.5, torch.float32),
        (3, torch.int32),  # Python ints become int32, as in Keras
        (True, torch.bool),
        ([[1.0, 2.0]], torch.float32),
        ([1, 2], torch.int32),
    ],
)
def test_convert_to_tensor_default_dtypes(value, dtype):
    tensor = ops.convert_to_tensor(value)
    assert tensor.dtype == dtype
    assert tensor.device == config.device()
    np.testing.assert_array_equal(tensor.numpy(), np.asarray(value))


def test_convert_to_tensor_follows_floatx():
    config.set_floatx("float64")
    try:
        assert ops.convert_to_tensor(np.zeros(2)).dtype == torch.float64
    finally:
        config.set_floatx("float32")


def test_convert_to_tensor_explicit_dtype_keeps_float64_precision():
    value = np.array([1 + 1e-12])
    assert ops.convert_to_tensor(value, dtype="float64").item() == value[0]
    assert ops.cast(value, "float64").item() == value[0]


def test_tensors_and_variables_pass_through_unchanged():
    tensor = torch.ones(2, dtype=torch.float64, requires_grad=True)
    assert ops.convert_to_tensor(tensor) is tensor
    variable = Variable([1.0, 2.0])
    assert ops.convert_to_tensor(variable) is variable
    assert ops.convert_to_tensor(tensor, dtype="float32").dtype == torch.float32


def test_list_of_tensors_is_stacked_and_stays_differentiable():
    a = torch.tensor(1.0, requires_grad=True)
    stacked = ops.convert_to_tensor([a, 2.0 * a])
    stacked.sum().backward()
    assert a.grad.item() == 3.0


def test_conversion_copies_numpy_data():
    array = np.zeros(2, dtype=np.float32)
    tensor = ops.convert_to_tensor(array)
    array[0] = 5.0
    assert tensor[0].item() == 0.0


def test_read_only_arrays_convert_without_warnings():
    array = np.broadcast_to(np.arange(3.0), (2, 3))  # a read-only view
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ops.convert_to_tensor(array).shape == (2, 3)


def test_sparse_and_ragged_are_rejected():
    with pytest.raises(ValueError, match="dense"):
        ops.convert_to_tensor([1.0], sparse=True)
    with pytest.raises(ValueError, match="dense"):
        ops.convert_to_tensor([1.0], ragged=True)


def test_convert_to_numpy():
    tensor = torch.ones(2, requires_grad=True) * 2
    array = ops.convert_to_numpy(tensor)
    assert isinstance(array, np.ndarray)
    np.testing.assert_array_equal(array, [2.0, 2.0])
    assert ops.convert_to_numpy(torch.ones(1, dtype=torch.bfloat16)).dtype == np.float32
    assert ops.convert_to_numpy([1, 2]).dtype == np.int64


def test_cast():
    assert ops.cast(torch.tensor([1.7]), "int32").dtype == torch.int32
    assert ops.cast([1, 2], torch.float16).dtype == torch.float16


def test_shape_size_and_is_tensor():
    assert ops.shape(torch.zeros(2, 3)) == (2, 3)
    assert ops.shape(np.zeros((4,))) == (4,)
    assert ops.shape([[1, 2, 3]]) == (1, 3)
    assert ops.size(np.zeros((2, 5))) == 10
    assert ops.is_tensor(torch.zeros(1)) and ops.is_tensor(Variable([1.0]))
    assert not ops.is_tensor(np.zeros(1))


def test_stop_gradient_blocks_the_gradient():
    x = torch.tensor(3.0, requires_grad=True)
    (x * ops.stop_gradient(x)).backward()
    assert x.grad.item() == 3.0  # d/dx (x * c) with c = x held constant


def test_python_numbers_follow_the_tensor_device_and_dtype():
    x = torch.ones(2, dtype=torch.float16)
    assert ops.add(x, 1.0).dtype == torch.float16
    assert ops.add(2, torch.ones(2)).dtype == torch.float32
    assert ops.multiply(torch.arange(3), 0.5).dtype == torch.float32


def test_ops_on_a_symbolic_tensor_explain_what_to_do_instead():
    # Keras would trace the op into the graph; minilib asks for a layer, and says so.
    import minilib

    inputs = minilib.Input(shape=(4,))
    with pytest.raises(TypeError, match="symbolic tensor.*Lambda"):
        ops.square(inputs)
    with pytest.raises(TypeError, match="symbolic tensor"):
        ops.add([inputs, inputs], 1.0)
