"""The whole workflow on the sample class: generate, release, collect an LMS zip, autograde,
status, feedback, export; checked against nbgrader's own gradebook and `nbgrader export`."""

import csv
import io
import subprocess
import sys
import zipfile

import nbformat
import pytest
from grading_samples import (
    ASSIGNMENT,
    NOTEBOOK,
    SAMPLE_CLASS,
    SAMPLE_POINTS,
    make_submission,
)
from grading_testkit import course_cli, needs_sandbox
from nbgrader.api import Gradebook

from grading.commands.export import NBGRADER_COLUMNS
from grading.course import Course
from grading.pipeline.ledger import Ledger

pytestmark = [pytest.mark.slow, needs_sandbox]


@pytest.fixture(scope="module")
def graded_course(generated_course, release_nb, tmp_path_factory):
    """The sample class, downloaded from an LMS as one zip, collected and autograded."""
    lms_zip = tmp_path_factory.mktemp("lms") / "submissions.zip"
    with zipfile.ZipFile(lms_zip, "w") as archive:
        for number, (student, (answers, _)) in enumerate(SAMPLE_CLASS.items()):
            nb = make_submission(release_nb, answers)
            # Canvas names: login_userid_submissionid_filename, "-1" on a resubmission
            name = f"{student}_{100 + number}_{9000 + number}_{ASSIGNMENT}-1.ipynb"
            archive.writestr(name, nbformat.writes(nb))
    assert course_cli(generated_course, "collect", ASSIGNMENT, str(lms_zip)) == 0
    assert course_cli(generated_course, "autograde", ASSIGNMENT, "--timeout", "10",
                      "--no-progress") == 0
    return generated_course


def test_collect_files_each_student_under_nbgrader_layout(graded_course):
    for student in SAMPLE_CLASS:
        folder = graded_course / "submitted" / student / ASSIGNMENT
        assert (folder / NOTEBOOK).is_file()
        assert (folder / "timestamp.txt").is_file()


def test_gradebook_holds_expected_scores(graded_course):
    with Gradebook(f"sqlite:///{graded_course / 'gradebook.db'}") as gb:
        for student, (_, total) in SAMPLE_CLASS.items():
            assert gb.find_submission(ASSIGNMENT, student).score == total
            for grade_id, points in SAMPLE_POINTS[student].items():
                grade = gb.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, student)
                assert grade.auto_score == points, (student, grade_id)
                assert not grade.needs_manual_grade
        assert gb.find_comment("normalize", ASSIGNMENT, ASSIGNMENT, "carol").auto_comment == \
            "No response."


def test_honest_submissions_are_not_reported_as_tampered(graded_course):
    course = Course(graded_course)
    for student in SAMPLE_CLASS:
        result = Ledger(course, ASSIGNMENT, student).recorded()
        assert (result["status"], result["tampered"], result["failures"]) == ("graded", [], [])


def test_recorded_points_are_the_gradebook_points(graded_course):
    course = Course(graded_course)
    for student in SAMPLE_CLASS:
        recorded = Ledger(course, ASSIGNMENT, student).recorded()["points"]
        assert recorded == {f"{ASSIGNMENT}:{grade_id}": points
                            for grade_id, points in SAMPLE_POINTS[student].items()}, student


def test_autograded_notebooks_are_where_nbgrader_expects_them(graded_course):
    for student in SAMPLE_CLASS:
        nb = nbformat.read(graded_course / "autograded" / student / ASSIGNMENT / NOTEBOOK, 4)
        assert not [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert nb.metadata.papermill.parameters == {"seed": 0}  # injected, but no cell shown


def test_nbgrader_export_agrees_with_course_export(graded_course, tmp_path):
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    assert course_cli(graded_course, "export", "--to", str(ours)) == 0
    subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", str(theirs)],
                   cwd=graded_course, check=True, capture_output=True,
                   env={"PATH": f"{sys.prefix}/bin:/usr/bin:/bin"})
    our_rows = list(csv.DictReader(io.StringIO(ours.read_text())))
    their_rows = list(csv.DictReader(io.StringIO(theirs.read_text())))
    assert [{k: r[k] for k in NBGRADER_COLUMNS} for r in our_rows] == their_rows
    per_question = {r["student_id"]: float(r[f"{ASSIGNMENT}:test_pairwise_distances"])
                    for r in our_rows}
    assert per_question == {s: p["test_pairwise_distances"] for s, p in SAMPLE_POINTS.items()}


def test_status_lists_every_student_graded(graded_course, capsys):
    assert course_cli(graded_course, "status", ASSIGNMENT) == 0
    out = capsys.readouterr().out
    assert "4 graded, 0 failed, 0 pending" in out
    assert "bob      graded  3/7" in out


def test_second_run_grades_nothing_again(graded_course, capsys):
    assert course_cli(graded_course, "autograde", ASSIGNMENT, "--no-progress") == 0
    assert "graded (earlier)" in capsys.readouterr().out


def test_feedback_is_generated_for_each_student(graded_course):
    assert course_cli(graded_course, "feedback", ASSIGNMENT) == 0
    for student in SAMPLE_CLASS:
        html = graded_course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert html.is_file()


def test_release_zip_holds_the_student_version(graded_course, tmp_path):
    target = tmp_path / "ps0.zip"
    assert course_cli(graded_course, "release", ASSIGNMENT, "--to", str(target)) == 0
    with zipfile.ZipFile(target) as archive:
        text = archive.read(f"{ASSIGNMENT}/{NOTEBOOK}").decode()
    assert "HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    assert "YOUR CODE HERE" in text
