"""The execute and score steps on small notebooks, without a course around them."""

import os
import re
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
    limits = Limits(cell_timeout=5, notebook_timeout=3)
    nb, outcome = run(["import time; time.sleep(1.2)"] * 4 + ["x = 1"], limits, tmp_path, [4])
    assert not outcome.completed
    # Which sleeping cell the deadline lands in depends on the kernel's start-up time.
    assert re.search(r"the notebook time limit \(3 s\) was reached during cell [34]; later "
                     r"cells were not run", outcome.failure)
    assert score_notebook(nb, Config()).grades == {"t4": 0}


def test_warnings_do_not_cost_a_test_cell_its_points(tmp_path):
    sources = ["import numpy as np, warnings",
               "warnings.warn('careful'); np.log(np.array([0.0]))",
               "assert False"]
    nb, outcome = run(sources, Limits(cell_timeout=10), tmp_path, grade_cells=[1, 2])
    assert outcome.completed
    assert score_notebook(nb, Config()).grades == {"t1": 1.0, "t2": 0.0}
    warning_text = "".join(o.get("text", "") for o in nb.cells[2].outputs)
    assert "UserWarning: careful" in warning_text and "RuntimeWarning" in warning_text
