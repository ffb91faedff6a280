"""Variance scaling: starting weights whose spread follows the layer's fans.

A layer whose weights start too large blows its outputs up, layer after layer; too
small, and they fade away. Glorot, He and LeCun each pick the variance of the
starting weights as `scale / n`, where `n` is a *fan* of the kernel: `fan_in`, how
many inputs feed each output, `fan_out`, how many outputs each input feeds, or
their mean. `VarianceScaling` is the general recipe; the six named initializers
are its common settings:

| initializer   | scale | fan      | distribution       | suits          |
|---------------|-------|----------|--------------------|----------------|
| GlorotUniform | 1     | fan_avg  | uniform            | tanh, sigmoid  |
| GlorotNormal  | 1     | fan_avg  | truncated normal   | tanh, sigmoid  |
| HeUniform     | 2     | fan_in   | uniform            | ReLU           |
| HeNormal      | 2     | fan_in   | truncated normal   | ReLU           |
| LecunUniform  | 1     | fan_in   | uniform            | SELU           |
| LecunNormal   | 1     | fan_in   | truncated normal   | SELU           |

    >>> compute_fans((3, 3, 16, 32))              # a 3x3 convolution, 16 -> 32 channels
    (144, 288)
"""

import math

from minilib import random
from minilib.initializers.random_initializers import RandomInitializer


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
