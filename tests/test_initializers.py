"""minilib.initializers: Keras's formulas and fan layout, seeds, and lookup by name."""

import math

import numpy as np
import pytest
import torch

from minilib import initializers, random
from minilib.backend import config
from minilib.initializers.variance_scaling import compute_fans
from minilib.utils.seed import set_random_seed

DENSE = (300, 200)  # Keras layout: (in, out)
CONV = (3, 3, 16, 32)  # (height, width, in, out): fans are 144 in, 288 out


@pytest.mark.parametrize("shape, fans", [((), (1, 1)), ((7,), (7, 7)), (DENSE, (300, 200)),
                                         (CONV, (144, 288)), ((5, 4, 6), (20, 30))])
def test_compute_fans_uses_the_in_out_layout(shape, fans):
    assert compute_fans(shape) == fans


# (initializer, the standard deviation the Keras formula asks for, uniform limit or None)
def _variance_scaling_cases(shape):
    fan_in, fan_out = compute_fans(shape)
    fan_avg = (fan_in + fan_out) / 2
    return [
        (initializers.GlorotUniform, math.sqrt(1 / fan_avg), math.sqrt(6 / (fan_in + fan_out))),
        (initializers.GlorotNormal, math.sqrt(1 / fan_avg), None),
        (initializers.HeUniform, math.sqrt(2 / fan_in), math.sqrt(6 / fan_in)),
        (initializers.HeNormal, math.sqrt(2 / fan_in), None),
        (initializers.LecunUniform, math.sqrt(1 / fan_in), math.sqrt(3 / fan_in)),
        (initializers.LecunNormal, math.sqrt(1 / fan_in), None),
    ]


@pytest.mark.parametrize("shape", [DENSE, CONV], ids=["dense", "conv"])
@pytest.mark.parametrize("case", range(6))
def test_variance_scaling_family_follows_keras_formulas(shape, case):
    cls, stddev, limit = _variance_scaling_cases(shape)[case]
    weights = cls(seed=0)(shape)
    assert weights.shape == shape and weights.dtype == torch.float32
    assert weights.device == config.device()
    assert weights.std().item() == pytest.approx(stddev, rel=0.03)
    assert abs(weights.mean().item()) < 0.05 * stddev
    if limit is not None:
        assert weights.abs().max().item() <= limit
        assert weights.abs().max().item() > 0.99 * limit
    else:  # truncated at two standard deviations of the untruncated normal
        assert weights.abs().max().item() <= 2 * stddev / 0.87962566103423978


def test_fans_differ_from_torch_layout():
    # A (in=1000, out=10) kernel: fan_in is 1000, so He's std is sqrt(2/1000), not sqrt(2/10).
    weights = initializers.HeNormal(seed=0)((1000, 10))
    assert weights.std().item() == pytest.approx(math.sqrt(2 / 1000), rel=0.05)


@pytest.mark.parametrize("mode, fan", [("fan_in", 300), ("fan_out", 200), ("fan_avg", 250)])
def test_variance_scaling_modes(mode, fan):
    weights = initializers.VarianceScaling(3.0, mode, "untruncated_normal", seed=1)(DENSE)
    assert weights.std().item() == pytest.approx(math.sqrt(3.0 / fan), rel=0.03)


def test_variance_scaling_rejects_bad_arguments():
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_max")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"


def test_random_normal_uniform_truncated():
    normal = initializers.RandomNormal(mean=1.0, stddev=0.5, seed=0)((100_000,))
    assert normal.mean().item() == pytest.approx(1.0, abs=0.01)
    assert normal.std().item() == pytest.approx(0.5, rel=0.02)
    uniform = initializers.RandomUniform(-0.2, 0.6, seed=0)((100_000,))
    assert -0.2 <= uniform.min().item() and uniform.max().item() < 0.6
    truncated = initializers.TruncatedNormal(stddev=0.1, seed=0)((100_000,))
    assert truncated.abs().max().item() <= 0.2
    assert initializers.RandomNormal()((4,)).std().item() < 0.2  # Keras default stddev 0.05


def test_int_seed_and_no_seed_repeat_on_every_call_as_in_keras():
    seeded = initializers.GlorotUniform(seed=3)
    assert torch.equal(seeded((4, 4)), seeded((4, 4)))
    assert torch.equal(seeded((4, 4)), initializers.GlorotUniform(seed=3)((4, 4)))
    assert not torch.equal(seeded((4, 4)), initializers.GlorotUniform(seed=4)((4, 4)))
    unseeded = initializers.RandomNormal()
    assert torch.equal(unseeded((4,)), unseeded((4,)))
    assert not torch.equal(unseeded((4,)), initializers.RandomNormal()((4,)))


def test_seed_generator_gives_new_values_on_each_call():
    initializer = initializers.HeNormal(seed=random.SeedGenerator(0))
    assert not torch.equal(initializer((4, 4)), initializer((4, 4)))


def test_unseeded_initializers_follow_set_random_seed():
    set_random_seed(5)
    first = initializers.GlorotUniform()((3, 3))
    set_random_seed(5)
    assert torch.equal(first, initializers.GlorotUniform()((3, 3)))


def test_bad_seed_is_rejected():
    with pytest.raises(ValueError, match="seed"):
        initializers.RandomNormal(seed="0")


@pytest.mark.parametrize("dtype", ["float64", "float16"])
def test_dtype_argument(dtype):
    for initializer in (initializers.GlorotNormal(seed=0), initializers.Orthogonal(seed=0),
                        initializers.Zeros(), initializers.Constant(2.0)):
        assert initializer((3, 3), dtype=dtype).dtype == getattr(torch, dtype)


def test_constant_initializers():
    np.testing.assert_array_equal(initializers.Zeros()((2, 3)).numpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(initializers.Ones()((2,)).numpy(), np.ones(2))
    np.testing.assert_array_equal(initializers.Constant(0.5)((2, 2)).numpy(), np.full((2, 2), 0.5))
    np.testing.assert_array_equal(initializers.Identity(gain=2.0)((2, 3)).numpy(),
                                  2.0 * np.eye(2, 3))
    with pytest.raises(ValueError, match="2-D"):
        initializers.Identity()((2, 2, 2))


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (3, 3, 2, 5)])
def test_orthogonal_has_orthonormal_rows_or_columns(shape):
    weights = initializers.Orthogonal(gain=2.0, seed=0)(shape)
    assert weights.shape == shape
    matrix = weights.reshape(-1, shape[-1]) / 2.0
    small = min(matrix.shape)
    gram = matrix.T @ matrix if matrix.shape[0] >= matrix.shape[1] else matrix @ matrix.T
    torch.testing.assert_close(gram, torch.eye(small), atol=1e-5, rtol=0)
    with pytest.raises(ValueError, match="2 axes"):
        initializers.Orthogonal()((4,))


ALL_CLASSES = [initializers.Zeros, initializers.Ones, initializers.Constant,
               initializers.Identity, initializers.RandomNormal, initializers.RandomUniform,
               initializers.TruncatedNormal, initializers.VarianceScaling,
               initializers.GlorotUniform, initializers.GlorotNormal, initializers.HeUniform,
               initializers.HeNormal, initializers.LecunUniform, initializers.LecunNormal,
               initializers.Orthogonal]


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda cls: cls.__name__)
def test_serialize_round_trip(cls):
    original = cls()
    rebuilt = initializers.deserialize(initializers.serialize(original))
    assert type(rebuilt) is cls and rebuilt.get_config() == original.get_config()
    assert type(original.clone()) is cls


def test_seeded_config_rebuilds_the_same_values():
    original = initializers.VarianceScaling(2.0, "fan_out", "uniform", seed=9)
    assert initializers.serialize(original) == {
        "module": "keras.initializers", "class_name": "VarianceScaling",
        "config": {"scale": 2.0, "mode": "fan_out", "distribution": "uniform", "seed": 9},
        "registered_name": None,
    }
    rebuilt = initializers.get(initializers.serialize(original))
    assert torch.equal(rebuilt((5, 5)), original((5, 5)))


@pytest.mark.parametrize("name, cls", [("glorot_uniform", initializers.GlorotUniform),
                                       ("GlorotUniform", initializers.GlorotUniform),
                                       ("he_normal", initializers.HeNormal),
                                       ("random_normal", initializers.RandomNormal),
                                       ("variance_scaling", initializers.VarianceScaling),
                                       ("zeros", initializers.Zeros),
                                       ("uniform", initializers.RandomUniform)])
def test_get_by_name(name, cls):
    assert type(initializers.get(name)) is cls


def test_snake_case_aliases_are_the_classes():
    assert initializers.glorot_uniform is initializers.GlorotUniform
    assert initializers.he_normal is initializers.HeNormal
    assert initializers.zeros is initializers.Zeros


def test_get_accepts_objects_classes_callables_and_none():
    initializer = initializers.Ones()
    assert initializers.get(initializer) is initializer
    assert type(initializers.get(initializers.HeUniform)) is initializers.HeUniform

    def custom(shape, dtype=None):
        return torch.full(shape, 3.0)

    assert initializers.get(custom) is custom
    assert initializers.get(None) is None


def test_serialize_none_and_plain_functions():
    def halves(shape, dtype=None):
        return torch.full(shape, 0.5)

    assert initializers.serialize(None) is None and initializers.deserialize(None) is None
    saved = initializers.serialize(halves)
    assert saved == {"module": "builtins", "class_name": "function", "config": "halves",
                     "registered_name": "function"}  # what Keras 3 writes for a function
    assert initializers.deserialize(saved, custom_objects={"halves": halves}) is halves


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown initializer 'glorot'.*glorot_normal"):
        initializers.get("glorot")
    with pytest.raises(ValueError, match="Could not interpret"):
        initializers.get(3)
