"""set_random_seed: make a training run repeat exactly.

    >>> from minilib.utils.seed import set_random_seed
    >>> set_random_seed(1337)   # now initial weights, dropout and shuffling repeat
"""

import random

import numpy as np
import torch


def set_random_seed(seed):
    """Seed Python's `random`, NumPy and torch (the CPU and every CUDA device) with `seed`.

    Everything minilib draws without an explicit seed (unseeded initializers,
    dropout, shuffling the training data) comes from these generators, so CPU
    runs that start with the same call repeat exactly. On a GPU some kernels
    are nondeterministic, so results may still differ in the last digits.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"set_random_seed expects an int, got {seed!r}.")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
