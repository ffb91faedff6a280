"""`course autograde` grades nbgrader's own material as `nbgrader autograde` does.

Two courses are built at test time from what the installed nbgrader package ships
(`nbgrader_material`): its documentation's example course, and a course of its test suite's
notebooks, each submitted against its source as nbgrader's `test_nbgrader_autograde.py` does.
Each course is graded twice, on identical copies, by real `nbgrader autograde` and by `course
autograde`; every grade, flag, comment, late penalty and file in autograded/ must agree.

Where course/README.md says `course` deliberately does better, the test asserts both tools'
behaviour and names it:

* the test guard: a submission that replaced IPython's error display (nbgrader's
  `submitted-cheat-attempt*.ipynb`) has its tests run with the display put back, so a failing
  test shows its own error, never the broken display's, and the replacement is reported;
* one bad submission affects only its own row: nbgrader stops a whole run at the first
  notebook whose metadata is in an old or too new format, leaving later students ungraded.

The last tests, fast ones, check what keeps `course autograde`'s start-up short on such small
classes (see bench/grading.py).
"""

import csv
import subprocess
import sys

import pytest
from grading_testkit import needs_sandbox
from nbgrader_material import (
    CELL_TIMEOUT,
    DOCS_ASSIGNMENT,
    TEST_FILES,
    TEST_SUITE_ASSIGNMENTS,
    TEST_SUITE_SUBMISSIONS,
    USER_GUIDE,
    documentation_course,
    nbgrader_tests_course,
)
from nbgrader_parity import (
    assignment_snapshot,
    autograded_files,
    autograded_notebooks,
    grade_both,
)

from grading.course import Course
from grading.pipeline.check import UnreadableNotebook, read_notebook
from grading.pipeline.ledger import Ledger
from grading.pipeline.runner import Options, _pool
from grading.pipeline.settings import check_settings, timeout_error

HONEST = {DOCS_ASSIGNMENT: {"hacker"}, "ps1": {"foo", "bar", "baz", "copies"},
          "squares": {"solved", "blank", "outputs"}, "hidden": {"foo"}, "files": {"foo"},
          "overwrite": {"foo"}}
SHOWTRACEBACK_CHEATS = ("spam", "eggs")  # submitted-cheat-attempt*.ipynb
BROKEN_DISPLAY = "eggs"  # its showtraceback is None: calling it fails under nbgrader
BAD_FORMATS = "formats"


def graded_by_both(test):
    """Mark a test of the courses both tools grade: slow, and run where student code can be
    jailed."""
    return pytest.mark.slow(needs_sandbox(test))


@pytest.fixture(scope="module")
def documentation(tmp_path_factory):
    """nbgrader's documentation course, graded by both tools."""
    base = tmp_path_factory.mktemp("nbgrader-docs")
    return grade_both(documentation_course(base / "source-course"), base, [DOCS_ASSIGNMENT])


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """The course of nbgrader's test-suite notebooks, graded by both tools."""
    base = tmp_path_factory.mktemp("nbgrader-suite")
    return grade_both(nbgrader_tests_course(base / "source-course"), base, TEST_SUITE_ASSIGNMENTS,
                      one_by_one=(BAD_FORMATS,))


def recorded(graded, assignment, student):
    """What `course autograde` recorded for a submission (its summary row)."""
    return Ledger(Course(graded["course"]), assignment, student).recorded()


def scores(snapshot):
    """student -> (score, needs manual grade, late penalty) of each submission."""
    return {student: (row["score"], row["needs_manual_grade"], row["late_submission_penalty"])
            for student, row in snapshot.items() if row}


# nbgrader's documentation course

@graded_by_both
def test_documentation_course_gradebooks_agree(documentation):
    ours = assignment_snapshot(documentation["course"], DOCS_ASSIGNMENT)
    assert ours == assignment_snapshot(documentation["nbgrader"], DOCS_ASSIGNMENT)
    # and the raw scores are those of the documentation's own export, grades.csv
    with open(USER_GUIDE / "grades.csv", newline="") as f:
        documented = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(f)}
    assert {student: row["score"] for student, row in ours.items()} == documented
    assert documented == {"bitdiddle": 1.5, "hacker": 3.0}
    # bitdiddle submitted 6 hours after the due date; nbgrader's default plugin charges nothing
    assert ours["bitdiddle"]["late_submission_penalty"] == 0.0
    assert ours["hacker"]["needs_manual_grade"]  # written answers wait for a grader


@graded_by_both
def test_documentation_course_autograded_files_agree(documentation):
    nbgrader_run, status, _ = documentation["runs"][DOCS_ASSIGNMENT]
    assert nbgrader_run.returncode == status == 0
    ours = autograded_files(documentation["course"], DOCS_ASSIGNMENT)
    assert ours == autograded_files(documentation["nbgrader"], DOCS_ASSIGNMENT)
    assert sorted(ours["hacker"]) == ["jupyter.png", "timestamp.txt"]
    notebooks = autograded_notebooks(documentation["course"], DOCS_ASSIGNMENT)
    assert notebooks == autograded_notebooks(documentation["nbgrader"], DOCS_ASSIGNMENT)
    assert sorted(notebooks["bitdiddle"]) == ["problem1", "problem2"]


@graded_by_both
def test_documentation_course_tampering_is_reported_only_where_it_happened(documentation):
    assert recorded(documentation, DOCS_ASSIGNMENT, "hacker")["tampered"] == []
    # bitdiddle commented out two tests (the documentation's example): restored, and said so
    assert recorded(documentation, DOCS_ASSIGNMENT, "bitdiddle")["tampered"] == [
        "problem1.ipynb cell 9 (correct_squares): edited; restored before grading",
        "problem1.ipynb cell 10 (squares_invalid_input): edited; restored before grading"]


# nbgrader's test-suite notebooks

@graded_by_both
@pytest.mark.parametrize("assignment", TEST_SUITE_ASSIGNMENTS)
def test_suite_gradebooks_agree(suite, assignment):
    ours = assignment_snapshot(suite["course"], assignment)
    assert ours == assignment_snapshot(suite["nbgrader"], assignment)
    assert {student for student, row in ours.items() if row} == \
        set(TEST_SUITE_SUBMISSIONS[assignment])


@graded_by_both
@pytest.mark.parametrize("assignment", TEST_SUITE_ASSIGNMENTS)
def test_suite_exit_statuses_agree(suite, assignment):
    nbgrader_run, status, _ = suite["runs"][assignment]
    assert status == nbgrader_run.returncode == (1 if assignment == BAD_FORMATS else 0)


@graded_by_both
def test_suite_scores_are_those_nbgrader_s_tests_expect(suite):
    """The values nbgrader's test_nbgrader_autograde.py asserts, on the agreed gradebooks."""
    ps1 = scores(assignment_snapshot(suite["course"], "ps1"))
    assert ps1["foo"] == (1.0, False, 1.0)  # 4 h late: a point per hour, at most the score
    assert ps1["bar"] == (2.0, True, 1.0)  # 1 h late
    assert ps1["baz"] == (2.0, True, 0.0)
    assert ps1["spam"] == ps1["eggs"] == (1.0, True, 0.0)  # test_showtraceback_exploit
    assert ps1["gradecell"] == ps1["lockedcell"] == (1.0, False, 0.0)  # cells put back
    assert ps1["copies"] == (2.0, True, 0.0)  # "p1 copy.ipynb" is not graded
    hidden = assignment_snapshot(suite["course"], "hidden")["foo"]
    assert hidden["score"] == 1.5  # the release passes the visible tests, not the hidden ones
    files = assignment_snapshot(suite["course"], "files")["foo"]["notebooks"]
    assert {name: notebook["score"] for name, notebook in files.items()} == {
        "open_relative_file": 10.0,  # data.txt sits next to the notebook
        "environment": 0.0,  # the test fails when NBGRADER_EXECUTION is set
        "timeout": 0.0,  # interrupted after CELL_TIMEOUT seconds
        "zero-points": 0.0, "side-effects": 0.0, "infinite-loop": 0.0}
    squares = scores(assignment_snapshot(suite["course"], "squares"))
    assert squares == {"solved": (3.0, True, 0.0), "outputs": (3.0, True, 0.0),
                       "blank": (0.0, False, 0.0)}


@graded_by_both
@pytest.mark.parametrize("assignment", TEST_SUITE_ASSIGNMENTS)
def test_suite_autograded_files_agree(suite, assignment):
    ours = autograded_files(suite["course"], assignment)
    assert ours == autograded_files(suite["nbgrader"], assignment)
    if assignment == "files":  # test_side_effects, test_validate_subdir
        assert sorted(ours["foo"]) == ["data.txt", "side-effect.txt"]
    if assignment == "overwrite":  # test_grade_overwrite_files
        assert ours["foo"]["data.csv"] == b"some,data\n"
        assert ours["foo"]["helper.py"] == b"print('this is different!')\n"
    if assignment == BAD_FORMATS:  # a failed submission keeps no autograded folder
        assert ours == {}


@graded_by_both
@pytest.mark.parametrize("assignment", TEST_SUITE_ASSIGNMENTS)
def test_suite_autograded_notebooks_agree(suite, assignment):
    ours = autograded_notebooks(suite["course"], assignment)
    theirs = autograded_notebooks(suite["nbgrader"], assignment)
    if assignment == "ps1":  # the test guard's doing: see below
        ours.pop(BROKEN_DISPLAY), theirs.pop(BROKEN_DISPLAY)
    assert ours == theirs
    if assignment == "files":  # nbgrader's error after the kernel's own, on both
        timed_out = next(cell for cell in ours["foo"]["timeout"] if cell[1] == "correct_squares")
        assert timed_out[3] == [("error", "KeyboardInterrupt", ""),
                                ("error", "CellTimeoutError", "")]


@graded_by_both
def test_a_replaced_error_display_neither_hides_errors_nor_goes_unreported(suite):
    """Deliberately better: nbgrader runs the tests of submitted-cheat-attempt-alternative
    .ipynb with IPython's error display set to None, so a failing test shows the TypeError of
    calling it; under `course` the guard puts the display back first, so the test shows its
    own NameError, as under the other cheat attempt. Both score the test 0; `course` reports
    each replacement."""
    ours = autograded_notebooks(suite["course"], "ps1")
    theirs = autograded_notebooks(suite["nbgrader"], "ps1")
    for student in SHOWTRACEBACK_CHEATS:
        test = {cell[1]: cell[3] for cell in ours[student]["p1"]}["bar"]
        assert test == [("error", "NameError", "name 'a' is not defined")]
        assert recorded(suite, "ps1", student)["tampered"] == [
            "p1.ipynb cell 2 (foo): replaced IPython.core.interactiveshell.InteractiveShell."
            "showtraceback; put back before this test cell"]
    assert {cell[1]: cell[3] for cell in theirs[BROKEN_DISPLAY]["p1"]}["bar"] == [
        ("error", "TypeError", "'NoneType' object is not callable")]
    without_test = [cell for cell in ours[BROKEN_DISPLAY]["p1"] if cell[1] != "bar"]
    assert without_test == [cell for cell in theirs[BROKEN_DISPLAY]["p1"] if cell[1] != "bar"]


@graded_by_both
def test_metadata_in_another_format_fails_only_its_own_submission(suite):
    """Deliberately better: nbgrader's whole run stops at the first notebook whose nbgrader
    metadata is in an old or too new format (test_nbgrader_update's notebooks), so the
    students after it were not graded at all; `course` fails each such submission on its own
    row, with the reason, and records what nbgrader records when it grades them one by one."""
    students = sorted(TEST_SUITE_SUBMISSIONS[BAD_FORMATS])
    assert suite["one_by_one"][BAD_FORMATS]["recorded_by_whole_run"] == students[:1]
    for run in suite["one_by_one"][BAD_FORMATS]["runs"].values():
        assert run.returncode == 1 and "of the nbgrader metadata format" in run.stderr
    reasons = {student: recorded(suite, BAD_FORMATS, student)["failures"]
               for student in students}
    assert reasons["toonew"] == [
        "p1.ipynb has nbgrader metadata in a format newer than nbgrader's (version 10, "
        "nbgrader's is 3): made with a newer nbgrader?"]
    for old in ("v0", "v1", "v2"):
        assert reasons[old] == [
            f"p1.ipynb has nbgrader metadata in an old format (version {old[1]}, nbgrader's is "
            "3): back up the course, then run `nbgrader update` on it"]
    snapshot = assignment_snapshot(suite["course"], BAD_FORMATS)
    for student in students:  # left for a grader, as nbgrader leaves a failed submission
        grades = snapshot[student]["notebooks"]["p1"]["grades"].values()
        assert {(g["auto_score"], g["needs_manual_grade"]) for g in grades} == {(None, True)}


@graded_by_both
def test_no_honest_submission_is_reported_as_tampered(suite, documentation):
    graded = {DOCS_ASSIGNMENT: documentation, **dict.fromkeys(TEST_SUITE_ASSIGNMENTS,
                                                              suite)}
    for assignment, students in HONEST.items():
        for student in students:
            row = recorded(graded[assignment], assignment, student)
            assert row["tampered"] == [], (assignment, student)
    edited = {student: recorded(suite, "ps1", student)["tampered"]
              for student in ("gradecell", "lockedcell")}
    assert edited == {  # submitted-grade-cell-changed and -locked-cell-changed: put back
        "gradecell": ["p1.ipynb cell 3 (bar): edited; restored before grading"],
        "lockedcell": ["p1.ipynb cell 6 (ro1): edited; restored before grading",
                       "p1.ipynb cell 7 (ro2): edited; restored before grading"]}


@graded_by_both
def test_interrupted_cells_are_named_in_the_summary(suite):
    output = suite["runs"]["files"][2].splitlines()
    assert (f"foo: timeout.ipynb cell 2 (correct_squares): timed out after {CELL_TIMEOUT} s "
            "and was interrupted") in output
    assert f"foo: infinite-loop.ipynb cell 1: timed out after {CELL_TIMEOUT} s and was " \
        "interrupted" in output


# What keeps start-up short, and the rules above, without kernels

def test_metadata_formats_are_checked_as_nbgrader_checks_them():
    with pytest.raises(UnreadableNotebook, match=r"old format \(version 2, nbgrader's is 3\)"):
        read_notebook(TEST_FILES / "test-v2.ipynb")
    with pytest.raises(UnreadableNotebook, match=r"newer than nbgrader's \(version 10,"):
        read_notebook(TEST_FILES / "too-new.ipynb")
    assert len(read_notebook(TEST_FILES / "test.ipynb").cells) == 17


def test_the_timeout_error_is_nbgrader_s_or_the_configured_one(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n")
    assert timeout_error(Course(tmp_path))["ename"] == "CellTimeoutError"
    custom = {"ename": "TooSlow", "evalue": "over the limit", "traceback": ["TooSlow"]}
    for setting, expected in ((custom, custom), (None, None)):
        (tmp_path / "nbgrader_config.py").write_text(
            f"c = get_config()  # noqa: F821\nc.Execute.error_on_timeout = {setting!r}\n")
        check_settings(Course(tmp_path))  # honoured, so not refused
        assert timeout_error(Course(tmp_path)) == expected


def test_grading_processes_skip_the_imports_they_do_not_use():
    """jsonschema's IRI grammar (rfc3987_syntax) is never built, and a worker never imports
    nbgrader: together about 2 s of CPU per process. Notebooks are still validated."""
    probe = """
import sys
import grading.pipeline.execute  # what a worker imports
worker_imports = set(sys.modules)
import grading.cli, nbformat
from nbformat.v4 import new_notebook
nbformat.validate(new_notebook())
bad = new_notebook(); bad.cells.append({"cell_type": "nonsense"})
try:
    nbformat.validate(bad)
except nbformat.ValidationError:
    print("still validated")
print("nbgrader" in worker_imports, sys.modules["rfc3987_syntax"])
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.split("\n")[:2] == ["still validated", "False None"]


def test_slots_are_opened_for_the_jobs_there_are_and_their_workers_start_at_once(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n")
    course = Course(tmp_path)
    with _pool(course, "ps1", Options(workers=4), jobs=1) as pool:
        worker = pool.workers.get()
        assert pool.workers.empty()  # one job: one slot, whatever --workers says
        assert worker.process is not None and worker.process.poll() is None  # already started
        pool.workers.put(worker)
    assert worker.process is None  # stopped with the pool
    with _pool(course, "ps1", Options(workers=2), jobs=0) as pool:
        assert pool.workers.get().process is None  # nothing to run: nothing started
