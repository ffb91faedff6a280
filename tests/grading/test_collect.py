"""`course collect`: LMS zips and folders into nbgrader's submitted/ layout."""

import zipfile

import pytest
from grading_samples import ASSIGNMENT, NOTEBOOK, new_course
from grading_testkit import course_cli

from grading.commands.collect import CANVAS_PATTERN, group_by_student

NOTEBOOKS = {ASSIGNMENT}


@pytest.fixture
def course(tmp_path):
    return new_course(tmp_path / "course")


def names(entries):
    by_student, skipped = group_by_student(
        [(name, b"x", None) for name in entries], ASSIGNMENT, NOTEBOOKS, CANVAS_PATTERN)
    return {s: sorted(files) for s, files in by_student.items()}, skipped


def test_canvas_names_give_student_and_original_file():
    found, skipped = names([
        "jdoe_12_345_ps0_numpy.ipynb",
        "asmith_LATE_13_346_ps0_numpy-2.ipynb",  # late, resubmitted twice
        "asmith_LATE_13_347_data-1.csv",  # not a notebook: the suffix stays
        "README.txt",
    ])
    assert found == {"jdoe": [NOTEBOOK], "asmith": ["data-1.csv", NOTEBOOK]}
    assert skipped == ["README.txt: not named <student>_..._<file>"]


def test_folder_per_student_with_or_without_assignment_folder():
    found, _ = names(["ann/ps0_numpy.ipynb", f"ben/{ASSIGNMENT}/{NOTEBOOK}", "ben/x/y.txt"])
    assert found == {"ann": [NOTEBOOK], "ben": [NOTEBOOK, "x/y.txt"]}


def test_hidden_files_and_path_tricks_are_ignored():
    found, skipped = names(["__MACOSX/ann/._a", "ann/.DS_Store", "../evil/x.ipynb",
                            "/etc/passwd"])
    assert found == {} and skipped == []


def test_unusable_student_ids_are_skipped():
    _, skipped = names(["-rf_1_2_ps0_numpy.ipynb"])
    assert "is not a usable student id" in skipped[0]


def test_collect_from_zip_keeps_then_updates_submissions(course, tmp_path, capsys):
    lms = tmp_path / "lms.zip"
    with zipfile.ZipFile(lms, "w") as archive:
        archive.writestr("jdoe_1_2_ps0_numpy.ipynb", "{}")
    assert course_cli(course, "collect", ASSIGNMENT, str(lms)) == 0
    target = course / "submitted" / "jdoe" / ASSIGNMENT
    assert (target / NOTEBOOK).read_text() == "{}"
    assert (target / "timestamp.txt").read_text().endswith("UTC")

    with zipfile.ZipFile(lms, "w") as archive:
        archive.writestr("jdoe_1_3_ps0_numpy-1.ipynb", "{ }")
    assert course_cli(course, "collect", ASSIGNMENT, str(lms)) == 0
    assert (target / NOTEBOOK).read_text() == "{}"
    assert "use --update" in capsys.readouterr().out

    assert course_cli(course, "collect", ASSIGNMENT, str(lms), "--update") == 0
    assert (target / NOTEBOOK).read_text() == "{ }"
    assert "1 updated" in capsys.readouterr().out
