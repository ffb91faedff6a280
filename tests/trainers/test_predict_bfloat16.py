"""predict() on a bfloat16 model: NumPy has no bfloat16, so the outputs come back as float32."""

import numpy as np
import pytest
import torch

import minilib
from minilib import layers


@pytest.fixture
def bfloat16_default():
    minilib.config.set_floatx("bfloat16")
    yield
    minilib.config.set_floatx("float32")


def test_predict_returns_float32_values_of_the_bfloat16_computation(bfloat16_default):
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([minilib.Input(shape=(5,)), layers.Dense(3)])
    x = np.random.default_rng(0).normal(size=(7, 5)).astype("float32")

    predictions = model.predict(x, batch_size=4, verbose=0)

    kernel, bias = (weight.detach().cpu() for weight in model.weights)
    assert kernel.dtype == torch.bfloat16
    expected = (torch.as_tensor(x).to(torch.bfloat16) @ kernel + bias).float().numpy()
    assert predictions.dtype == np.float32
    # bfloat16 keeps 8 bits of mantissa: a fused multiply-add may round differently.
    np.testing.assert_allclose(predictions, expected, rtol=2e-2, atol=2e-2)
