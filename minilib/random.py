"""Random tensors (normal, uniform, dropout masks, shuffles), reproducible with seeds.

Every function takes a `seed`, which may be:

- `None`: draw from torch's global generator, which `set_random_seed` resets;
- an int: the same numbers on every call with that seed;
- a `SeedGenerator`: new numbers on every call, the whole stream fixed by its seed.
"""

import numbers

import torch

from minilib.backend import config
from minilib.backend.dtypes import to_torch_dtype
from minilib.ops.core import _int_tuple, convert_to_tensor


class SeedGenerator:
    """A reproducible stream of seeds: each random call that uses it gets new numbers.

    Layers that draw at every call (Dropout, for one) keep a SeedGenerator, so a
    model built with the same seed gives the same masks in the same order.

    Args:
        seed: an int; `None` picks one from torch's global generator.

    Example: an int seed repeats itself, a SeedGenerator moves on at every call.

    >>> same = minilib.random.normal((3,), seed=7).equal(minilib.random.normal((3,), seed=7))
    >>> stream = minilib.random.SeedGenerator(7)
    >>> first, second = (minilib.random.normal((3,), seed=stream) for _ in range(2))
    >>> same, first.equal(second)
    (True, False)
    """

    def __init__(self, seed=None):
        if seed is None:
            seed = int(torch.randint(2**31 - 1, ()))
        self._generator = torch.Generator().manual_seed(_checked_seed(seed))

    def next(self):
        """Return the next seed in the stream, as an int."""
        return int(torch.randint(2**62, (), generator=self._generator))


def _checked_seed(seed):
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"seed must be None, an int or a SeedGenerator, got {seed!r}.")
    return int(seed)


def _torch_generator(seed, device):
    """The `torch.Generator` a `seed` argument asks for; `None` means torch's global one."""
    if seed is None:
        return None
    if isinstance(seed, SeedGenerator):
        seed = seed.next()
    return torch.Generator(device=device).manual_seed(_checked_seed(seed))


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution; `dtype` defaults to floatx.

    Example:

    >>> x = minilib.random.normal((10000,), mean=5.0, stddev=2.0, seed=0)
    >>> x.dtype, round(float(x.mean())), round(float(x.std()))
    (torch.float32, 5, 2)
    """
    device = config.device()
    samples = torch.randn(_int_tuple(shape), generator=_torch_generator(seed, device),
                          dtype=to_torch_dtype(dtype), device=device)
    return samples * stddev + mean


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from the uniform distribution on `[minval, maxval)`; for integers use `randint`.

    Example:

    >>> x = minilib.random.uniform((1000,), minval=-1.0, maxval=1.0, seed=0)
    >>> bool(x.min() >= -1.0), bool(x.max() < 1.0)
    (True, True)
    """
    if dtype is not None and not to_torch_dtype(dtype).is_floating_point:
        raise ValueError(f"random.uniform needs a floating point dtype, got dtype={dtype!r}. "
                         f"For random integers use random.randint(shape, minval, maxval).")
    device = config.device()
    samples = torch.rand(_int_tuple(shape), generator=_torch_generator(seed, device),
                         dtype=to_torch_dtype(dtype), device=device)
    return samples * (maxval - minval) + minval


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples, with values more than 2 `stddev` from `mean` drawn again.

    Example:

    >>> x = minilib.random.truncated_normal((10000,), seed=0)
    >>> bool(x.abs().max() <= 2.0)                  # nothing beyond 2 stddev
    True
    """
    device = config.device()
    # Drawn in float32 because torch's sampler has no half-precision kernel on every device.
    samples = torch.empty(_int_tuple(shape), device=device)
    torch.nn.init.trunc_normal_(samples, mean, stddev, a=mean - 2 * stddev,
                                b=mean + 2 * stddev,
                                generator=_torch_generator(seed, device))
    return samples.to(to_torch_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Random integers from `[minval, maxval)`.

    Example:

    >>> x = minilib.random.randint((100,), 0, 3, seed=0)
    >>> sorted(set(x.tolist())), x.dtype
    ([0, 1, 2], torch.int32)
    """
    device = config.device()
    return torch.randint(minval, maxval, _int_tuple(shape), dtype=to_torch_dtype(dtype),
                         generator=_torch_generator(seed, device), device=device)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zero each entry with probability `rate` and scale the rest by `1 / (1 - rate)`.

    The scaling keeps the expected value of every entry unchanged, so nothing
    needs rescaling at inference time, when dropout is simply skipped.

    Args:
        inputs: the tensor to drop entries from.
        rate: the probability of dropping, in `[0, 1)`.
        noise_shape: the shape of the keep/drop mask, broadcast against `inputs`;
            e.g. `(batch, 1, channels)` drops whole channels. `None` entries take
            the size of `inputs` there.
        seed: see the module docstring.

    Example:

    >>> y = minilib.random.dropout(np.ones((1, 10000)), rate=0.5, seed=0)
    >>> sorted(set(y.flatten().tolist())), round(float(y.mean()), 1)   # the mean stays 1
    ([0.0, 2.0], 1.0)
    """
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout: rate must be in [0, 1), got {rate}.")
    inputs = convert_to_tensor(inputs)
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = [size if dim is None else dim
                       for dim, size in zip(noise_shape, inputs.shape, strict=True)]
    keep = torch.rand(noise_shape, generator=_torch_generator(seed, inputs.device),
                      device=inputs.device) >= rate
    return torch.where(keep, inputs / (1.0 - rate), 0.0)


def shuffle(x, axis=0, seed=None):
    """`x` with its slices along `axis` in a random order.

    Example:

    >>> x = minilib.random.shuffle(np.arange(6), seed=0)
    >>> sorted(x.tolist())                           # the same values, in another order
    [0, 1, 2, 3, 4, 5]
    """
    x = convert_to_tensor(x)
    order = torch.randperm(x.shape[axis], generator=_torch_generator(seed, x.device),
                           device=x.device)
    return torch.index_select(x, axis, order)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draw `num_samples` class indices for each row of unnormalised log-probabilities.

    Example:

    >>> minilib.random.categorical(np.array([[0.0, 0.0, 100.0], [100.0, 0.0, 0.0]]), 4, seed=0)
    tensor([[2, 2, 2, 2],
            [0, 0, 0, 0]], dtype=torch.int32)
    """
    logits = convert_to_tensor(logits)
    probabilities = torch.softmax(logits, dim=-1)
    samples = torch.multinomial(probabilities, num_samples, replacement=True,
                                generator=_torch_generator(seed, logits.device))
    return samples.to(to_torch_dtype(dtype))


__all__ = ["SeedGenerator", "categorical", "dropout", "normal", "randint", "shuffle",
           "truncated_normal", "uniform"]
