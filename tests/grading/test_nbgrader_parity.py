"""`course autograde` leaves nbgrader's gradebook exactly as real `nbgrader autograde` does.

One class, graded once per tool on identical copies of a small course (`nbgrader_parity`), in
two rounds as an instructor would: first the submissions that grade (one on time, two late,
one left blank) and two without any notebook, then two that cannot be graded (a damaged
notebook, one under another name). The late penalties of nbgrader's other methods are
compared without kernels, on a gradebook alone.
"""

import csv
import io

import pytest
from grading_testkit import course_cli, needs_sandbox
from nbformat.v4 import new_notebook
from nbgrader.preprocessors import AssignLatePenalties
from nbgrader_parity import (
    ASSIGNMENT,
    NOTEBOOK,
    course_autograde,
    grade_by_hand,
    gradebook_snapshot,
    nbgrader,
    nbgrader_autograde,
)

from grading.commands.export import NBGRADER_COLUMNS
from grading.course import Course
from grading.pipeline.late import assign_late_penalty, late_penalty_rule


def grades(snapshot, student):
    return {name: (g["auto_score"], g["needs_manual_grade"])
            for name, g in snapshot[student]["grades"].items()}


@pytest.mark.slow
@needs_sandbox
def test_gradebooks_are_the_same(twins):
    ours, theirs = gradebook_snapshot(twins["course"]), gradebook_snapshot(twins["nbgrader"])
    assert ours == theirs
    # and what they agree on is what nbgrader's rules say
    assert grades(ours, "ontime") == {
        "test_double": (2.0, False),
        "test_environment": (1.0, False),  # NBGRADER_EXECUTION was "autograde"
        "explain": (None, True),  # a written answer waits for a grader
        "negatives_task": (None, True),  # so does a task
    }
    assert grades(ours, "blank")["explain"] == (0.0, False)  # unanswered: nothing to grade
    assert ours["blank"]["comments"]["explain"] == "No response."
    penalties = {s: ours[s]["late_submission_penalty"] for s in ("ontime", "late", "verylate")}
    assert penalties == {"ontime": 0.0, "late": 2.0, "verylate": 1.0}  # 10 h, capped at 1 point
    for student in ("badjson", "othername"):  # ungraded, and flagged for a grader
        assert set(grades(ours, student).values()) == {(None, True)}
    assert "empty" not in ours and "notesonly" not in ours


@pytest.mark.slow
@needs_sandbox
def test_exit_statuses_are_nbgrader_s(twins, capsys):
    statuses = [(nbgrader_run.returncode, status) for nbgrader_run, status, _ in twins["rounds"]]
    assert statuses == [(0, 0), (1, 1)]  # the second round had submissions that failed
    nothing_to_grade = ("--student", "empty")
    assert nbgrader_autograde(twins["nbgrader"], *nothing_to_grade).returncode == 1
    assert course_autograde(twins["course"], *nothing_to_grade)[0] == 1
    assert f"no submission of {ASSIGNMENT} has a notebook: nothing to grade" in \
        capsys.readouterr().err


@pytest.mark.slow
@needs_sandbox
def test_submissions_without_a_notebook_are_skipped_with_a_message(twins):
    nbgrader_run, _, output = twins["rounds"][0]
    assert "No notebooks were matched by" in nbgrader_run.stderr
    rows = {line.split()[0]: line for line in output.splitlines() if line.strip()}
    assert rows["empty"].split()[1:3] == ["skipped", "-"]
    assert rows["empty"].endswith(f"no notebook in submitted/empty/{ASSIGNMENT}: nothing recorded")
    assert "notesonly  skipped" in rows["notesonly"]
    assert "6 graded, 0 failed, 2 skipped" in output


@pytest.mark.slow
@needs_sandbox
def test_ungradable_submissions_keep_a_one_line_reason(twins):
    output = twins["rounds"][1][2]
    rows = {line.split()[0]: line.split(None, 3) for line in output.splitlines() if line.strip()}
    assert rows["badjson"][1:] == ["failed", "0/6", f"{NOTEBOOK} is not valid JSON (line 1, "
                                   "column 13): damaged, or not a notebook"]
    assert rows["othername"][1:] == ["failed", "0/6",
                                     f"{NOTEBOOK} is missing; submitted: 'homework.ipynb'"]
    assert "late submission penalty 2" in rows["late"][3]


@pytest.mark.slow
@needs_sandbox
def test_grading_by_hand_gives_the_same_totals(twins, tmp_path):
    by_hand = {("ontime", "explain"): 2.0, ("ontime", "negatives_task"): 1.0,
               ("late", "explain"): 1.5, ("badjson", "test_double"): 2.0}
    totals = []
    for tool in ("nbgrader", "course"):
        copy = tmp_path / tool
        copy.mkdir()
        copy.joinpath("gradebook.db").write_bytes((twins[tool] / "gradebook.db").read_bytes())
        for (student, grade_id), score in by_hand.items():
            grade_by_hand(copy, student, grade_id, score)
        snapshot = gradebook_snapshot(copy)
        totals.append(snapshot)
    assert totals[0] == totals[1]
    scores = {s: (totals[1][s]["score"], totals[1][s]["needs_manual_grade"])
              for s in ("ontime", "late", "badjson")}
    assert scores == {"ontime": (6.0, False), "late": (4.5, True), "badjson": (2.0, True)}


@pytest.mark.slow
@needs_sandbox
def test_export_and_feedback_show_the_late_penalty(twins, tmp_path):
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    assert course_cli(twins["course"], "export", "--to", str(ours)) == 0
    assert nbgrader(twins["nbgrader"], "export", "--to", str(theirs)).returncode == 0
    our_rows = sorted(({k: r[k] for k in NBGRADER_COLUMNS}
                       for r in csv.DictReader(io.StringIO(ours.read_text()))), key=by_student)
    their_rows = sorted(csv.DictReader(io.StringIO(theirs.read_text())), key=by_student)
    assert our_rows == their_rows  # in the order students entered the gradebook: sorted here
    late = next(r for r in our_rows if r["student_id"] == "late")
    assert (late["raw_score"], late["late_submission_penalty"], late["score"]) == \
        ("3.0", "2.0", "1.0")
    assert course_cli(twins["course"], "feedback", ASSIGNMENT, "--student", "late") == 0
    html = (twins["course"] / "feedback" / "late" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Late submission penalty (Score: -2.0)" in html


def by_student(row):
    return row["student_id"]


# nbgrader's built-in penalty methods, compared on a gradebook alone (no kernels)

@pytest.fixture(scope="module")
def homework_gradebook(tmp_path_factory):
    """A gradebook file with assignment hw, due 2024-03-01 12:00, one 4-point test, student
    ann (nbgrader takes seconds to create one: it is copied for each case)."""
    root = tmp_path_factory.mktemp("late")
    (root / "nbgrader_config.py").write_text("")
    with Course(root).gradebook() as gb:  # a Course puts nbgrader's `alembic` on the PATH
        gb.add_assignment("hw", duedate="2024-03-01 12:00:00 UTC")
        gb.add_notebook("nb", "hw")
        gb.add_grade_cell("q1", "nb", "hw", max_score=4, cell_type="code")
        gb.add_student("ann")
    return root / "gradebook.db"


@pytest.mark.slow  # nbgrader takes seconds to create the gradebook (alembic)
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
@pytest.mark.parametrize("method, hours_late, expected", [
    ("zero", 3, 2.5),  # the notebook's whole score
    ("zero", 0, None),  # on time: no penalty
    ("none", 3, None),
])
def test_builtin_late_penalty_methods_match_nbgrader(homework_gradebook, tmp_path, method,
                                                     hours_late, expected):
    config = f"c = get_config()  # noqa: F821\nc.LateSubmissionPlugin.penalty_method = {method!r}\n"
    penalties = []
    for tool in ("nbgrader", "course"):
        root = tmp_path / tool
        root.mkdir()
        (root / "nbgrader_config.py").write_text(config)
        (root / "gradebook.db").write_bytes(homework_gradebook.read_bytes())
        course = Course(root)
        with course.gradebook() as gb:
            gb.add_submission("hw", "ann", timestamp=f"2024-03-01 {12 + hours_late}:00:00 UTC")
            gb.find_grade("q1", "nb", "hw", "ann").auto_score = 2.5
            gb.db.commit()
            submission = gb.find_submission("hw", "ann")
            notebook = gb.find_submission_notebook("nb", "hw", "ann")
            if tool == "course":
                assign_late_penalty(late_penalty_rule(course), submission, notebook)
                gb.db.commit()
        if tool == "nbgrader":
            resources = {"nbgrader": {"notebook": "nb", "assignment": "hw", "student": "ann",
                                      "db_url": course.db_url}}
            AssignLatePenalties(config=course.config).preprocess(new_notebook(), resources)
        with course.gradebook() as gb:
            penalties.append(gb.find_submission_notebook("nb", "hw", "ann")
                             .late_submission_penalty)
    assert penalties == [expected, expected]
