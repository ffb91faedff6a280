"""Every test starts from the same random state, so that a test that trains repeats exactly.

torch seeds its generator differently in every process, so without this a test that builds
weights before (or without) seeding would pass or fail by luck.

Two test runs may share a machine (a second suite beside this one): each takes its own range
of sandbox uids, so that one run's checks for leftover sandbox processes never see the other's.
"""

import os

import pytest

# 200 uids per run (the local pool's, then the Dask workers' from +100), below `nobody` (65534)
os.environ.setdefault("COURSE_SANDBOX_FIRST_UID", str(62000 + 200 * (os.getpid() % 16)))


@pytest.fixture(autouse=True)
def same_random_state_for_every_test():
    import minilib

    minilib.utils.set_random_seed(0)
