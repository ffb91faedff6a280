"""Random initializers: weights drawn from a distribution whose spread you choose.

`RandomNormal`, `TruncatedNormal` and `RandomUniform` draw with a fixed spread, and
`Orthogonal` draws a random orthogonal matrix. `RandomInitializer` is their base
class and holds the seed; the recipes that pick the spread from the layer's size
(Glorot, He, LeCun) are in `variance_scaling.py`.
"""

import math

import torch

from minilib import random
from minilib.backend.dtypes import to_torch_dtype
from minilib.initializers.initializer import Initializer


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
