"""minilib.random: distributions, seeds, dropout, and set_random_seed."""

import random as python_random

import numpy as np
import pytest
import torch

from minilib import random
from minilib.backend import config
from minilib.utils.seed import set_random_seed

DRAWS = [
    lambda seed: random.normal((50,), seed=seed),
    lambda seed: random.uniform((50,), seed=seed),
    lambda seed: random.truncated_normal((50,), seed=seed),
    lambda seed: random.randint((50,), 0, 1000, seed=seed),
    lambda seed: random.dropout(torch.ones(50), 0.5, seed=seed),
    lambda seed: random.shuffle(torch.arange(50), seed=seed),
    lambda seed: random.categorical(torch.zeros(1, 50), 50, seed=seed),
]


@pytest.mark.parametrize("draw", DRAWS)
def test_int_seed_repeats_and_different_seeds_differ(draw):
    assert torch.equal(draw(3), draw(3))
    assert not torch.equal(draw(3), draw(4))


@pytest.mark.parametrize("draw", DRAWS)
def test_seed_generator_gives_a_new_but_reproducible_stream(draw):
    first, second = random.SeedGenerator(5), random.SeedGenerator(5)
    a, b = draw(first), draw(first)
    assert not torch.equal(a, b)
    assert torch.equal(a, draw(second)) and torch.equal(b, draw(second))


@pytest.mark.parametrize("draw", DRAWS)
def test_no_seed_follows_set_random_seed(draw):
    set_random_seed(11)
    a = draw(None)
    set_random_seed(11)
    assert torch.equal(a, draw(None))


def test_unseeded_seed_generator_follows_set_random_seed():
    set_random_seed(2)
    a = random.normal((4,), seed=random.SeedGenerator())
    set_random_seed(2)
    assert torch.equal(a, random.normal((4,), seed=random.SeedGenerator()))


def test_bad_seed_is_rejected():
    with pytest.raises(ValueError, match="seed"):
        random.normal((2,), seed=1.5)


def test_set_random_seed_seeds_python_numpy_and_torch():
    set_random_seed(7)
    first = (python_random.random(), np.random.rand(), torch.rand(1).item())
    set_random_seed(7)
    assert first == (python_random.random(), np.random.rand(), torch.rand(1).item())
    with pytest.raises(ValueError, match="int"):
        set_random_seed("7")


def test_normal_statistics_dtype_and_device():
    samples = random.normal((200_000,), mean=2.0, stddev=3.0, seed=0)
    assert samples.dtype == torch.float32 and samples.device == config.device()
    assert samples.mean().item() == pytest.approx(2.0, abs=0.03)
    assert samples.std().item() == pytest.approx(3.0, rel=0.01)
    assert random.normal((2, 3), dtype="float64").dtype == torch.float64


def test_uniform_bounds_and_mean():
    samples = random.uniform((100_000,), minval=-2.0, maxval=6.0, seed=0)
    assert samples.min().item() >= -2.0 and samples.max().item() < 6.0
    assert samples.mean().item() == pytest.approx(2.0, abs=0.05)


def test_uniform_refuses_an_integer_dtype_and_points_to_randint():
    # As in Keras: `uniform(..., dtype="int32")` is a ValueError, not a silent float draw.
    with pytest.raises(ValueError, match="floating point dtype.*randint"):
        random.uniform((2, 2), minval=0, maxval=10, dtype="int32")
    assert random.uniform((2,), dtype="float16", seed=0).dtype == torch.float16


def test_truncated_normal_stays_within_two_stddevs():
    samples = random.truncated_normal((100_000,), mean=1.0, stddev=0.5, seed=0)
    assert (samples - 1.0).abs().max().item() <= 1.0
    # A standard normal cut at +-2 has standard deviation 0.8796.
    assert samples.std().item() == pytest.approx(0.5 * 0.8796, rel=0.01)
    assert random.truncated_normal((3,), dtype="float16", seed=0).dtype == torch.float16


def test_randint_range_and_default_dtype():
    samples = random.randint((10_000,), 3, 7, seed=0)
    assert samples.dtype == torch.int32
    assert set(samples.tolist()) == {3, 4, 5, 6}


def test_dropout_zeroes_a_fraction_rate_and_rescales_the_rest():
    inputs = torch.full((100_000,), 2.0)
    outputs = random.dropout(inputs, 0.25, seed=0)
    dropped = (outputs == 0).float().mean().item()
    assert dropped == pytest.approx(0.25, abs=0.01)
    assert outputs.unique().tolist() == pytest.approx([0.0, 2.0 / 0.75])
    assert outputs.mean().item() == pytest.approx(2.0, rel=0.02)  # expectation kept


def test_dropout_noise_shape_drops_whole_slices():
    outputs = random.dropout(torch.ones(64, 3, 8), 0.5, noise_shape=(None, 1, 8), seed=0)
    # The mask has size 1 along axis 1, so the three rows of each sample match.
    assert torch.equal(outputs[:, 0], outputs[:, 1]) and torch.equal(outputs[:, 0], outputs[:, 2])
    assert 0 < (outputs == 0).float().mean().item() < 1


def test_dropout_passes_gradients_through_kept_entries():
    inputs = torch.ones(1000, requires_grad=True)
    random.dropout(inputs, 0.5, seed=0).sum().backward()
    assert set(inputs.grad.unique().tolist()) == {0.0, 2.0}


def test_dropout_rejects_rates_outside_zero_to_one():
    with pytest.raises(ValueError, match="rate"):
        random.dropout(torch.ones(2), 1.0)


def test_shuffle_permutes_along_the_axis():
    x = torch.arange(12).reshape(3, 4)
    shuffled = random.shuffle(x, axis=1, seed=0)
    assert torch.equal(shuffled.sort(dim=1).values, x)
    assert torch.equal(shuffled[1] - shuffled[0], torch.full((4,), 4))  # columns move whole


def test_categorical_samples_follow_the_logits():
    logits = torch.log(torch.tensor([[0.1, 0.9], [1.0, 0.0]]))
    samples = random.categorical(logits, 10_000, seed=0)
    assert samples.shape == (2, 10_000) and samples.dtype == torch.int32
    assert samples[0].float().mean().item() == pytest.approx(0.9, abs=0.02)
    assert samples[1].max().item() == 0
