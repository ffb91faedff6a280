"""The minilib assignments end to end: each sample class generated, collected and autograded
in the sandbox (minilib and torch imported inside the jail, under the memory limits), with
the exact points of every test in nbgrader's gradebook.

Each class is graded by root; the first also by an ordinary user from a virtual environment
of its own, with no cgroup (as on Binder: per-process limits, a user namespace per sandbox)."""

import nbformat
import pytest
import samples_ps1
import samples_ps2
import samples_ps3
import samples_ps4
from grading_samples import make_submission, new_course, read_release, write_submission
from grading_testkit import course_cli, needs_sandbox
from ordinary_user import OrdinaryUser

from grading.course import Course
from grading.pipeline.ledger import Ledger

pytestmark = [pytest.mark.slow, needs_sandbox]


@pytest.fixture(scope="module")
def binder_user():
    """An OrdinaryUser grading from a virtual environment of its own."""
    with OrdinaryUser() as user:
        user.python = user.own_venv()
        yield user


def autograde(instructor, root, *options):
    """`course autograde` as `instructor`; its exit status and printed summary."""
    if instructor is None:
        return course_cli(root, "autograde", *options), ""
    instructor.give(root)
    done = instructor.run([str(instructor.python), "-m", "grading.cli", "--course", str(root),
                           "autograde", *options], capture_output=True, text=True)
    assert "limits per process only" in done.stdout, done.stdout + done.stderr
    return done.returncode, done.stdout


@pytest.mark.parametrize("samples, parameters, who", [
    (samples_ps1, [], "root"),
    (samples_ps2, [], "root"),
    (samples_ps3, ["--parameter", "epochs=8"], "root"),
    (samples_ps4, ["--parameter", "epochs=8"], "root"),
    (samples_ps1, [], "ordinary user"),
], ids=lambda value: getattr(value, "ASSIGNMENT", value if isinstance(value, str) else ""))
def test_sample_class_gets_exact_points(samples, parameters, who, request, tmp_path):
    instructor = request.getfixturevalue("binder_user") if who == "ordinary user" else None
    assignment, notebook = samples.ASSIGNMENT, f"{samples.ASSIGNMENT}.ipynb"
    home = tmp_path if instructor is None else instructor.folder(assignment)
    root = new_course(home / "course")
    assert course_cli(root, "generate", assignment) == 0
    release = read_release(root, assignment)
    for student, (answers, _) in samples.SAMPLE_CLASS.items():
        write_submission(tmp_path / "inbox", student, make_submission(release, answers), notebook)
    assert course_cli(root, "collect", assignment, str(tmp_path / "inbox")) == 0
    status, summary = autograde(instructor, root, assignment, "--seed", "3", *parameters,
                                "--no-progress")
    assert status == 0, summary

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
