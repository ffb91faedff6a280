"""Parameters as papermill injects them, without a cell the student did not write.

A notebook with a cell tagged `parameters` gets `course autograde -p` values after it (a test
checks `seed == 7`), yet neither its autograded notebook nor its feedback page has the
injected cell; one without such a cell gets nothing injected and keeps exactly its cells, as
under nbgrader.
"""

import contextlib
import io

import nbformat
import pytest
from assignment_builder import PYTHON, answered, new_test_course, source_cell, write_assignment
from grading_samples import read_release, write_submission
from grading_testkit import course_cli, needs_sandbox

from grading.course import Course

pytestmark = [pytest.mark.slow, needs_sandbox]

TWICE = "def twice(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
ASSIGNMENTS = {
    "pp_params": [
        source_cell("markdown", "intro", "# Doubling\n\nSeeded by the grader."),
        source_cell("locked", "parameters", "seed = 0", tags=["parameters"]),
        source_cell("answer", "twice", TWICE),
        source_cell("test", "test_seed", "assert seed == 7", points=1),
        source_cell("test", "test_twice", "assert twice(seed) == 14", points=1),
    ],
    "pp_plain": [
        source_cell("locked", "setup", "total = 0"),
        source_cell("answer", "twice", TWICE),
        source_cell("test", "test_nothing_injected", "assert 'seed' not in globals()", points=1),
        source_cell("test", "test_twice", "assert twice(3) == 6", points=1),
    ],
}
ANSWERS = {"alice": {"twice": "def twice(x):\n    return 2 * x"}, "bob": {}}
POINTS = {  # assignment -> student -> test -> points
    "pp_params": {"alice": {"test_seed": 1, "test_twice": 1},
                  "bob": {"test_seed": 1, "test_twice": 0}},
    "pp_plain": {"alice": {"test_nothing_injected": 1, "test_twice": 1},
                 "bob": {"test_nothing_injected": 1, "test_twice": 0}},
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Both assignments, generated, submitted by the class, autograded; pp_params with
    `-p seed=7`, and its feedback written. Returns the course root."""
    tmp = tmp_path_factory.mktemp("parameters")
    root = new_test_course(tmp / "course")
    for assignment, cells in ASSIGNMENTS.items():
        write_assignment(root, assignment, {assignment: (PYTHON, cells)})
        assert course_cli(root, "generate", assignment) == 0
        release = read_release(root, assignment)
        for student, answers in ANSWERS.items():
            write_submission(tmp / assignment, student, answered(release, answers),
                             f"{assignment}.ipynb")
        assert course_cli(root, "collect", assignment, str(tmp / assignment)) == 0
    with contextlib.redirect_stdout(io.StringIO()):
        assert course_cli(root, "autograde", "pp_params", "-p", "seed=7", "--no-progress") == 0
        assert course_cli(root, "autograde", "pp_plain", "--no-progress") == 0
        assert course_cli(root, "feedback", "pp_params") == 0
    return root


def autograded(root, assignment, student):
    path = root / "autograded" / student / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("assignment", POINTS)
def test_each_test_scores_as_expected(graded, assignment):
    with Course(graded).gradebook() as gb:
        for student, points in POINTS[assignment].items():
            got = {test: gb.find_grade(test, assignment, assignment, student).auto_score
                   for test in points}
            assert got == points, student


@pytest.mark.parametrize("assignment", POINTS)
def test_autograded_notebook_has_exactly_the_students_cells(graded, assignment):
    release_ids = [cell.id for cell in read_release(graded, assignment).cells]
    for student in ANSWERS:
        nb = autograded(graded, assignment, student)
        cells = [c for c in nb.cells if "grader-notes" not in c.metadata.get("tags", [])]
        assert [cell.id for cell in cells] == release_ids, student
        assert not any(c.source.startswith("# Parameters") for c in cells), student
        assert not any("injected-parameters" in c.metadata.get("tags", []) for c in cells)
        first_code = next(c for c in cells if c.cell_type == "code")
        assert first_code.execution_count == 1, student  # the injected cell took no number


def test_injected_values_are_recorded_only_in_the_metadata(graded):
    for student in ANSWERS:
        assert autograded(graded, "pp_params", student).metadata.papermill.parameters == \
            {"seed": 7}
        assert "parameters" not in autograded(graded, "pp_plain", student).metadata.papermill


def test_feedback_shows_no_injected_cell(graded):
    for student in ANSWERS:
        page = (graded / "feedback" / student / "pp_params" / "pp_params.html").read_text()
        assert "Seeded by the grader" in page and "test_seed" in page
        assert "injected-parameters" not in page and "Parameters" not in page
