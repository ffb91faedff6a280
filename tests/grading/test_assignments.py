"""The minilib assignments end to end: each sample class generated, collected and autograded
in the sandbox (minilib and torch imported inside the jail, under the memory limits), with
the exact points of every test in nbgrader's gradebook."""

import nbformat
import pytest
import samples_ps1
import samples_ps2
import samples_ps3
import samples_ps4
from grading_samples import make_submission, new_course, read_release, write_submission
from grading_testkit import course_cli, needs_sandbox

from grading.course import Course
from grading.pipeline.ledger import Ledger

pytestmark = [pytest.mark.slow, needs_sandbox]


@pytest.mark.parametrize("samples, parameters", [
    (samples_ps1, []),
    (samples_ps2, []),
    (samples_ps3, ["--parameter", "epochs=8"]),
    (samples_ps4, ["--parameter", "epochs=8"]),
], ids=lambda value: getattr(value, "ASSIGNMENT", ""))
def test_sample_class_gets_exact_points(samples, parameters, tmp_path):
    assignment, notebook = samples.ASSIGNMENT, f"{samples.ASSIGNMENT}.ipynb"
    root = new_course(tmp_path / "course")
    assert course_cli(root, "generate", assignment) == 0
    release = read_release(root, assignment)
    for student, (answers, _) in samples.SAMPLE_CLASS.items():
        write_submission(tmp_path / "inbox", student, make_submission(release, answers), notebook)
    assert course_cli(root, "collect", assignment, str(tmp_path / "inbox")) == 0
    assert course_cli(root, "autograde", assignment, "--seed", "3", *parameters,
                      "--no-progress") == 0

    course = Course(root)
    with course.gradebook() as gb:
        for student, (_, points) in samples.SAMPLE_CLASS.items():
            got = {grade_id: gb.find_grade(grade_id, notebook[:-6], assignment, student)
                   .auto_score for grade_id in points}
            assert got == points, student
            assert gb.find_submission(assignment, student).score == sum(points.values())
    for student in samples.SAMPLE_CLASS:
        result = Ledger(course, assignment, student).recorded()
        assert (result["status"], result["tampered"], result["failures"]) == ("graded", [], [])
    graded = nbformat.read(root / "autograded" / "alice" / assignment / notebook, as_version=4)
    assert not any("injected-parameters" in c.metadata.tags for c in graded.cells)
    given = dict(p.split("=") for p in parameters[1::2])
    assert graded.metadata.papermill.parameters == {"seed": 3, **{
        name: int(value) for name, value in given.items()}}
