"""What `course autograde` and `course feedback` leave on disk, compared with real nbgrader.

The class of `nbgrader_parity`, graded once by each tool (the `twins` fixture): its
nbgrader_config.py sets a cell time limit and keeps the student's helper.py; "stuck" has an
answer slower than that limit and a cell that does not compile; "writer" writes files (and
links out of its folder) and lists its folder; "verylate" fails only a hidden test. Where
`course` deliberately does better than nbgrader (files the instructor did not release, links,
hidden tests in feedback), the test shows nbgrader's behaviour too.
"""

import html
import re

import pytest
from grading_testkit import course_cli, needs_sandbox
from nbgrader_parity import (
    ASSIGNMENT,
    CELL_TIMEOUT,
    NOTEBOOK,
    RELEASED_FILES,
    SOURCE_ONLY_FILE,
    STUDENT_FILES,
    gradebook_snapshot,
    nbgrader,
)

pytestmark = [pytest.mark.slow, needs_sandbox]


def autograded(twins, tool, student):
    return twins[tool] / "autograded" / student / ASSIGNMENT


def test_the_configured_cell_time_limit_scores_as_under_nbgrader(twins):
    ours, theirs = gradebook_snapshot(twins["course"]), gradebook_snapshot(twins["nbgrader"])
    assert ours["stuck"] == theirs["stuck"]
    # the answer sleeps 3 s past c.Execute.timeout: its test is interrupted and fails
    assert ours["stuck"]["grades"]["test_double"]["auto_score"] == 0.0
    assert ours["stuck"]["grades"]["test_environment"]["auto_score"] == 1.0


def test_timeouts_and_syntax_errors_are_named_in_the_summary_and_status(twins, capsys):
    timed_out = (f"stuck: {NOTEBOOK} cell 4 (test_double): timed out after {CELL_TIMEOUT} s "
                 "and was interrupted")
    syntax_error = f"stuck: {NOTEBOOK} cell 3: syntax error: invalid syntax"
    summary = twins["rounds"][0][2].splitlines()
    assert timed_out in summary
    assert any(line.startswith(syntax_error) for line in summary)
    assert course_cli(twins["course"], "status", ASSIGNMENT) == 0
    status = capsys.readouterr().out.splitlines()
    assert timed_out in status
    assert any(line.startswith(syntax_error) for line in status)


def test_files_the_notebook_writes_are_kept_as_under_nbgrader(twins):
    ours, theirs = autograded(twins, "course", "writer"), autograded(twins, "nbgrader", "writer")
    for name in ("side-effect.txt", "out/table.csv", "helper-said.txt", "data-read.txt"):
        assert (ours / name).read_text() == (theirs / name).read_text()
    assert (ours / "helper-said.txt").read_text() == "the student's helper"  # kept by config
    assert (ours / "helper.py").read_text() == STUDENT_FILES["helper.py"]
    assert (ours / "data-read.txt").read_text() == RELEASED_FILES["data.txt"]  # overwritten
    assert (ours / "data.txt").read_text() == RELEASED_FILES["data.txt"]
    # nbgrader keeps the links student code made (its feedback then copies /etc/passwd) and a
    # file of any size; course keeps neither, and says so in the notebook
    assert (theirs / "passwd-link").is_symlink() and (theirs / "big.bin").is_file()
    assert not any(p.is_symlink() for p in ours.rglob("*"))
    assert not (ours / "passwd-link").exists() and not (ours / "big.bin").exists()
    notes = (ours / NOTEBOOK).read_text()
    assert "'passwd-link' is a symbolic link: not kept" in notes
    assert "'big.bin' (3145728 bytes) would exceed the limit" in notes


def test_students_never_see_files_the_instructor_did_not_release(twins):
    secret, _ = SOURCE_ONLY_FILE
    listing = (autograded(twins, "course", "writer") / "listing.txt").read_text().split()
    assert secret not in listing and {"data.txt", "helper.py"} <= set(listing)
    assert not (autograded(twins, "course", "writer") / secret).exists()
    # nbgrader copies every file of source/ next to the notebook, where student code reads it
    assert secret in (autograded(twins, "nbgrader", "writer") / "listing.txt").read_text()

    assert course_cli(twins["course"], "feedback", ASSIGNMENT, "--student", "writer") == 0
    feedback = twins["course"] / "feedback" / "writer" / ASSIGNMENT
    assert (feedback / "side-effect.txt").read_text() == "a side effect"
    assert not (feedback / secret).exists()


def page_text(path):
    """The text of an HTML page, tags dropped (code is highlighted token by token)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def test_feedback_hides_hidden_tests_unless_the_instructor_shows_them(twins):
    hidden = "assert double(-2) == -4"
    page = f"feedback/verylate/{ASSIGNMENT}/{ASSIGNMENT}.html"
    assert nbgrader(twins["nbgrader"], "generate_feedback", ASSIGNMENT, "--student",
                    "verylate").returncode == 0
    assert hidden in page_text(twins["nbgrader"] / page)  # nbgrader shows them, by design

    assert course_cli(twins["course"], "feedback", ASSIGNMENT, "--student", "verylate") == 0
    text = page_text(twins["course"] / page)
    assert hidden not in text and "double(-2)" not in text
    assert "# hidden tests: not shown" in text
    assert "test_double" in text and "Score: 0.0 / 2.0" in text  # name, points, outcome
    assert "AssertionError" in text

    assert course_cli(twins["course"], "feedback", ASSIGNMENT, "--student", "verylate",
                      "--show-hidden-tests") == 0
    assert hidden in page_text(twins["course"] / page)
