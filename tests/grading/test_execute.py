"""The execute and score steps on small notebooks, without a course around them."""

import os
import tempfile

import pytest
from grading_testkit import needs_sandbox
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from grading.pipeline.execute import execute_notebook
from grading.pipeline.sandbox import Limits, Sandbox, Slot
from grading.pipeline.score import score_notebook

pytestmark = [pytest.mark.slow, needs_sandbox]


def run(sources, limits, tmp_path, grade_cells=()):
    """Execute cells in a sandbox; cells whose index is in grade_cells are 1-point tests."""
    cells = [new_code_cell(source) for source in sources]
    for index in grade_cells:
        cells[index].metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                             "points": 1, "grade_id": f"t{index}",
                                             "schema_version": 3}
    nb = new_notebook(cells=cells)
    runtime = tempfile.mkdtemp(prefix="course-kernel-")
    slot = Slot(0)
    os.chown(runtime, slot.uid, slot.gid)
    tmp_path.chmod(0o755)
    outcome = execute_notebook(nb, "nb", Sandbox(slot, limits, tmp_path, [runtime]), limits,
                               {"seed": 1}, runtime)
    return nb, outcome


def test_notebook_time_limit_stops_the_run_and_fails_the_rest(tmp_path):
    # Cell 2 would run for 10 minutes: the notebook's deadline, not its own, stops it,
    # however long the kernel took to start.
    limits = Limits(cell_timeout=600, notebook_timeout=6)
    nb, outcome = run(["x = 0", "import time; time.sleep(600)", "y = 1", "assert True"],
                      limits, tmp_path, [3])
    assert not outcome.completed
    [(cell, problem)] = outcome.problems
    assert cell == "cell 2" and problem.startswith("timed out after")
    assert outcome.failure == ("the notebook time limit (6 s) was reached during cell 3; "
                               "later cells were not run")
    assert score_notebook(nb, Config()).grades == {"t3": 0}


def test_warnings_do_not_cost_a_test_cell_its_points(tmp_path):
    sources = ["import numpy as np, warnings",
               "warnings.warn('careful'); np.log(np.array([0.0]))",
               "assert False"]
    nb, outcome = run(sources, Limits(cell_timeout=10), tmp_path, grade_cells=[1, 2])
    assert outcome.completed
    assert score_notebook(nb, Config()).grades == {"t1": 1.0, "t2": 0.0}
    warning_text = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    assert "UserWarning: careful" in warning_text and "RuntimeWarning" in warning_text
