"""The oracle of the data-parallel tests: the test script's steps on one plain process."""

import contextlib
import io

import pytest

import minilib
from tests.distribution import data_parallel_script


@pytest.fixture(scope="session")
def one_process(tmp_path_factory):
    """(folder the callbacks wrote to, what fit printed, results) without any distribution."""
    folder = tmp_path_factory.mktemp("one_process")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        results = data_parallel_script.run_steps(folder)
    return folder, printed.getvalue(), results


@pytest.fixture
def restore_distribution():
    """Undo what a DataParallel made in this process changes: the distribution and device."""
    device = minilib.config.device()
    yield
    minilib.distribution.set_distribution(None)
    minilib.config.set_device(str(device))
