"""Every test starts from the same random state, so that a test that trains repeats exactly.

torch seeds its generator differently in every process, so without this a test that builds
weights before (or without) seeding would pass or fail by luck.
"""

import pytest


@pytest.fixture(autouse=True)
def same_random_state_for_every_test():
    import minilib

    minilib.utils.set_random_seed(0)
