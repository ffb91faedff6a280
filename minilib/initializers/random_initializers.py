"""Random initializers, from plain normal draws to the variance-scaling family."""

import math

import torch

from minilib import random
from minilib.backend.dtypes import to_torch_dtype
from minilib.initializers.initializer import Initializer


def compute_fans(shape):
    """`(fan_in, fan_out)` of a kernel laid out as `(..., in, out)`.

    For convolution kernels each input and output channel is connected through
    the whole receptive field, so both fans are multiplied by its size,
    `prod(shape[:-2])`.
    """
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class RandomInitializer(Initializer):
    """Base class that stores the seed of a random initializer.

    As in Keras, an initializer object with an int seed, or with no seed at all,
    returns the *same* values every time it is called (without a seed, one is drawn
    from torch's global generator when the object is created). Pass a
    `minilib.random.SeedGenerator` as the seed to get new values on every call.

    Args:
        seed: an int, a `minilib.random.SeedGenerator`, or None (a seed is
            drawn from torch's global generator now, so `set_random_seed` fixes it).
    """

    def __init__(self, seed=None):
        if not (seed is None or isinstance(seed, (int, random.SeedGenerator))):
            raise ValueError(f"seed must be None, an int or a SeedGenerator, got {seed!r}.")
        self._config_seed = seed
        self.seed = int(torch.randint(2**31 - 1, ())) if seed is None else seed

    def get_config(self):
        return {"seed": self._config_seed}


class RandomNormal(RandomInitializer):
    """Samples from a normal distribution with the given `mean` and `stddev`.

    Example:

    >>> w = minilib.initializers.RandomNormal(mean=1.0, stddev=0.1, seed=0)((10000,))
    >>> round(float(w.mean()), 2), round(float(w.std()), 2)
    (1.0, 0.1)

    One object gives the same values at every call, unless its seed is a SeedGenerator:

    >>> fixed = minilib.initializers.RandomNormal(seed=1)
    >>> torch.equal(fixed((3,)), fixed((3,)))
    True
    >>> fresh = minilib.initializers.RandomNormal(seed=minilib.random.SeedGenerator(1))
    >>> torch.equal(fresh((3,)), fresh((3,)))
    False
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None):
        return random.normal(shape, mean=self.mean, stddev=self.stddev, dtype=dtype,
                             seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class TruncatedNormal(RandomInitializer):
    """Normal samples, with values more than 2 `stddev` from `mean` drawn again.

    Example:

    >>> w = minilib.initializers.TruncatedNormal(stddev=0.05, seed=0)((10000,))
    >>> bool(w.abs().max() <= 2 * 0.05)
    True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(shape, mean=self.mean, stddev=self.stddev, dtype=dtype,
                                       seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(RandomInitializer):
    """Samples from the uniform distribution on `[minval, maxval)`.

    Example:

    >>> w = minilib.initializers.RandomUniform(minval=0.0, maxval=2.0, seed=0)((10000,))
    >>> bool(w.min() >= 0.0), bool(w.max() < 2.0), round(float(w.mean()), 1)
    (True, True, 1.0)
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval = minval
        self.maxval = maxval

    def __call__(self, shape, dtype=None):
        return random.uniform(shape, minval=self.minval, maxval=self.maxval, dtype=dtype,
                              seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


class VarianceScaling(RandomInitializer):
    """Samples with variance `scale / n`, where `n` is a fan of the kernel.

    Glorot, He and LeCun initialization are such recipes: they pick the spread of
    the starting weights from the layer's *fans* (how many inputs feed each output
    and vice versa), so signals keep roughly the same size from layer to layer.

    Kernels use the Keras layout, inputs before outputs: a Dense kernel is
    `(in, out)` and a 2-D convolution kernel `(height, width, in, out)`, whose fans
    are multiplied by the receptive field `height * width`. torch lays its weights
    out as `(out, in, ...)`, so its own fan computation does not apply.

    Args:
        scale: the target variance times `n`; positive.
        mode: which fan is `n`: `"fan_in"`, `"fan_out"` or `"fan_avg"` (their mean).
        distribution: `"truncated_normal"` (alias `"normal"`; rescaled so the
            variance survives the truncation), `"untruncated_normal"` or
            `"uniform"` (on `[-limit, limit]` with `limit = sqrt(3 * scale / n)`).
        seed: see `RandomInitializer`.

    Example: He's recipe by hand, variance `2 / fan_in` with `fan_in = 200`.

    >>> init = minilib.initializers.VarianceScaling(scale=2.0, mode="fan_in",
    ...                                           distribution="untruncated_normal", seed=0)
    >>> round(float(init((200, 100)).std()), 2)      # sqrt(2 / 200)
    0.1
    """

    # The standard deviation of a standard normal truncated to [-2, 2].
    _TRUNCATED_STDDEV = 0.87962566103423978

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        modes = ("fan_in", "fan_out", "fan_avg")
        distributions = ("truncated_normal", "untruncated_normal", "uniform")
        distribution = "truncated_normal" if distribution == "normal" else distribution
        if scale <= 0:
            raise ValueError(f"VarianceScaling: scale must be positive, got {scale}.")
        if mode not in modes:
            raise ValueError(f"VarianceScaling: mode must be one of {modes}, got {mode!r}.")
        if distribution not in distributions:
            raise ValueError(f"VarianceScaling: distribution must be one of "
                             f"{distributions}, got {distribution!r}.")
        super().__init__(seed)
        self.scale = scale
        self.mode = mode
        self.distribution = distribution

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
        variance = self.scale / max(1.0, fan[self.mode])
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return random.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, 0.0, math.sqrt(variance), dtype=dtype, seed=self.seed)
        stddev = math.sqrt(variance) / self._TRUNCATED_STDDEV
        return random.truncated_normal(shape, 0.0, stddev, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                **super().get_config()}


class _FixedVarianceScaling(VarianceScaling):
    """A named VarianceScaling recipe: subclasses set SCALE, MODE and DISTRIBUTION."""

    def __init__(self, seed=None):
        super().__init__(self.SCALE, self.MODE, self.DISTRIBUTION, seed)

    def get_config(self):
        return {"seed": self._config_seed}


class GlorotUniform(_FixedVarianceScaling):
    """Uniform on `[-limit, limit]`, `limit = sqrt(6 / (fan_in + fan_out))`.

    The default kernel initializer of Dense and the convolutions.

    Example:

    >>> w = minilib.initializers.GlorotUniform(seed=0)((784, 10))   # a Dense kernel: (in, out)
    >>> bool(w.abs().max() <= (6 / (784 + 10)) ** 0.5)
    True
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_avg", "uniform"


class GlorotNormal(_FixedVarianceScaling):
    """Truncated normal with `stddev = sqrt(2 / (fan_in + fan_out))`.

    Example:

    >>> w = minilib.initializers.GlorotNormal(seed=0)((300, 100))
    >>> round(float(w.std()), 2)                  # sqrt(2 / 400)
    0.07
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_avg", "truncated_normal"


class HeUniform(_FixedVarianceScaling):
    """Uniform on `[-limit, limit]`, `limit = sqrt(6 / fan_in)`; suits ReLU layers.

    Example:

    >>> w = minilib.initializers.HeUniform(seed=0)((600, 100))
    >>> bool(w.abs().max() <= (6 / 600) ** 0.5)
    True
    """

    SCALE, MODE, DISTRIBUTION = 2.0, "fan_in", "uniform"


class HeNormal(_FixedVarianceScaling):
    """Truncated normal with `stddev = sqrt(2 / fan_in)`; suits ReLU layers.

    Example:

    >>> w = minilib.initializers.HeNormal(seed=0)((200, 100))
    >>> round(float(w.std()), 2)                  # sqrt(2 / 200)
    0.1
    """

    SCALE, MODE, DISTRIBUTION = 2.0, "fan_in", "truncated_normal"


class LecunUniform(_FixedVarianceScaling):
    """Uniform on `[-limit, limit]`, `limit = sqrt(3 / fan_in)`; suits SELU layers.

    Example:

    >>> w = minilib.initializers.LecunUniform(seed=0)((300, 100))
    >>> bool(w.abs().max() <= (3 / 300) ** 0.5)
    True
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "uniform"


class LecunNormal(_FixedVarianceScaling):
    """Truncated normal with `stddev = sqrt(1 / fan_in)`; suits SELU layers.

    Example:

    >>> w = minilib.initializers.LecunNormal(seed=0)((100, 100))
    >>> round(float(w.std()), 2)                  # sqrt(1 / 100)
    0.1
    """

    SCALE, MODE, DISTRIBUTION = 1.0, "fan_in", "truncated_normal"


class Orthogonal(RandomInitializer):
    """A random orthogonal matrix times `gain` (rows or columns orthonormal, whichever fit).

    Shapes with more than two axes are treated as a matrix of
    `prod(shape[:-1])` rows and `shape[-1]` columns.

    Example: 5 rows and 3 columns, so the 3 columns are orthonormal.

    >>> w = minilib.initializers.Orthogonal(seed=0)((5, 3))
    >>> torch.allclose(w.T @ w, torch.eye(3), atol=1e-5)
    True
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(f"Orthogonal needs at least 2 axes, got shape {tuple(shape)}.")
        rows, columns = math.prod(shape[:-1]), shape[-1]
        # QR of a tall Gaussian matrix gives orthonormal columns; QR has no float16 kernel.
        gaussian = random.normal((max(rows, columns), min(rows, columns)), dtype="float32",
                                 seed=self.seed)
        q, r = torch.linalg.qr(gaussian)
        # Fixing the signs by diag(r) makes q uniformly distributed over orthogonal matrices.
        q = q * torch.sign(torch.diagonal(r))
        if rows < columns:
            q = q.T
        return (self.gain * q.reshape(tuple(shape))).to(to_torch_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}
