"""set_random_seed: make a training run repeat exactly."""

import random

import numpy as np
import torch


def set_random_seed(seed):
    """Seed Python's `random`, NumPy and torch (the CPU and every CUDA device) with `seed`.

    Everything minilib draws without an explicit seed (unseeded initializers,
    dropout, shuffling the training data) comes from these generators, so CPU
    runs that start with the same call repeat exactly. On a GPU some kernels
    are nondeterministic, so results may still differ in the last digits.

    Example: the same seed, the same starting weights.

    >>> minilib.utils.set_random_seed(1337)
    >>> first = minilib.layers.Dense(2)(np.ones((1, 3)))
    >>> minilib.utils.set_random_seed(1337)
    >>> second = minilib.layers.Dense(2)(np.ones((1, 3)))
    >>> torch.equal(first, second)
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"set_random_seed expects an int, got {seed!r}.")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
