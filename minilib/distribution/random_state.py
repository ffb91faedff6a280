"""All processes draw the same random numbers where the order of the batches is decided.

Shuffling draws from the random generators of torch, NumPy and Python's `random`. If two
processes shuffled differently, their slices of "the same" batch would come from
different batches: some samples would be used twice in an epoch and others never. So
before each pass over the data, every process takes a copy of process 0's generators.

Process 0 keeps its own generators, so its run draws exactly what a run on one process
with the same seed draws.
"""

import random

import numpy as np
import torch
import torch.distributed as dist


def copy_random_state_of_process_0():
    """Set torch's, NumPy's and Python's random generators to those of process 0."""
    states = [torch.get_rng_state(), np.random.get_state(), random.getstate()]
    dist.broadcast_object_list(states, src=0)
    torch_state, numpy_state, python_state = states
    torch.set_rng_state(torch_state)
    np.random.set_state(numpy_state)
    random.setstate(python_state)
