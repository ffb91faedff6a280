"""Two nbgrader courses built, at test time, from the material nbgrader itself ships.

The installed nbgrader package carries its documentation's example course (the user guide's
`source/ps1`, with problem1 and problem2, and the submissions of students bitdiddle and
hacker) and the notebooks of its own test suite (`tests/apps/files`). Nothing of them is
copied into this repository: each course is assembled from the installed package when a
test asks for it, the way nbgrader's documentation and its `test_nbgrader_autograde.py` do.

    root = documentation_course(tmp_path / "docs")   # ps1 generated, two submissions
    root = nbgrader_tests_course(tmp_path / "suite")  # TEST_SUITE_ASSIGNMENTS, generated

`documentation_course` follows the user guide: `generate_assignment ps1`, the due date of
"Managing the database" (2015-02-02 17:00 UTC), the shipped submissions as they are.

`nbgrader_tests_course` gives each source notebook of nbgrader's tests an assignment, and each
notebook its tests submit against that source to a student, as those tests do (the source
copied again as a submission, another variant beside it, a released version). Its
nbgrader_config.py has what those tests configure: the late penalty plugin of
`test_late_submission_penalty_plugin`, a cell time limit (`test_infinite_loop`,
`test_autograde_timeout`), and `exclude_overwriting` from `test_grade_overwrite_files`; the
solution stub of `test_hidden_tests_single_notebook` is given to its assignment's
generate_assignment alone.
"""

import shutil
from pathlib import Path

import nbformat
import nbgrader
from nbgrader.api import Gradebook
from nbgrader_parity import nbgrader as run_nbgrader

NBGRADER = Path(nbgrader.__file__).parent
USER_GUIDE = NBGRADER / "docs" / "source" / "user_guide"
TEST_FILES = NBGRADER / "tests" / "apps" / "files"

DOCS_ASSIGNMENT = "ps1"
DOCS_DUEDATE = "2015-02-02 17:00:00 UTC"  # the user guide's "Managing the database"
DOCS_STUDENTS = ("bitdiddle", "hacker")

SUITE_DUEDATE = "2015-02-02 14:58:23.948203 America/Los_Angeles"  # nbgrader's tests' due date
ONE_HOUR_LATE = "2015-02-02 15:58:23.948203 America/Los_Angeles"
FOUR_HOURS_LATE = "2015-02-02 18:58:23.948203 America/Los_Angeles"
ON_TIME = "2015-02-01 14:58:23.948203 America/Los_Angeles"
CELL_TIMEOUT = 2  # seconds, as test_autograde_timeout sets it: timeout.ipynb's cell sleeps 5

LATE_PLUGIN = '''\
"""A point off per full hour late, as in nbgrader's test_late_submission_penalty_plugin."""
from nbgrader.plugins import BasePlugin


class PointPerFullHour(BasePlugin):
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return int(total_seconds_late / 3600)
'''
SUITE_CONFIG = f"""\
c = get_config()  # noqa: F821
c.AssignLatePenalties.plugin_class = "suite_late.PointPerFullHour"
c.Execute.timeout = {CELL_TIMEOUT}
c.Autograde.exclude_overwriting = {{"overwrite": ["helper.py"]}}
"""
# generate_assignment's options per assignment: test_hidden_tests_single_notebook's stub, which
# lets its released notebook pass the visible tests (not the hidden ones)
GENERATE_OPTIONS = {"hidden": ["--ClearSolutions.code_stub=# YOUR CODE HERE"]}  # for python

# assignment -> {notebook name: source file of nbgrader's tests}, and the files beside them
TEST_SUITE_SOURCES = {
    "ps1": {"p1": "submitted-unchanged.ipynb"},
    "squares": {"p1": "test.ipynb"},
    "formats": {"p1": "test.ipynb"},
    "hidden": {"p1": "test-hidden-tests.ipynb"},
    "files": {"side-effects": "side-effects.ipynb",
              "open_relative_file": "open_relative_file.ipynb",
              "environment": "validating-environment-variable.ipynb",
              "zero-points": "validation-zero-points.ipynb",
              "timeout": "timeout.ipynb",
              "infinite-loop": "infinite-loop.ipynb"},
    "overwrite": {"p1": "submitted-unchanged.ipynb"},
}
SOURCE_FILES = {  # assignment -> {path in source/<assignment>/: text}
    "files": {"data.txt": (TEST_FILES / "data.txt").read_text()},
    "overwrite": {"data.csv": "some,data\n", "helper.py": "print('hello!')\n"},
}
RELEASED = "released"  # a submission that is the released notebook itself

# assignment -> student -> ({notebook: test file, or RELEASED}, timestamp or None,
#                           {other file: text})
TEST_SUITE_SUBMISSIONS = {
    "ps1": {  # test_grade, test_showtraceback_exploit, test_late_submission_penalty_plugin
        "foo": ({"p1": "submitted-unchanged.ipynb"}, FOUR_HOURS_LATE, {}),
        "bar": ({"p1": "submitted-changed.ipynb"}, ONE_HOUR_LATE, {}),
        "baz": ({"p1": "submitted-changed.ipynb"}, ON_TIME, {}),
        "spam": ({"p1": "submitted-cheat-attempt.ipynb"}, None, {}),
        "eggs": ({"p1": "submitted-cheat-attempt-alternative.ipynb"}, None, {}),
        # test_validator's edited cells: a test cell commented out, a locked cell changed
        "gradecell": ({"p1": "submitted-grade-cell-changed.ipynb"}, None, {}),
        "lockedcell": ({"p1": "submitted-locked-cell-changed.ipynb"}, None, {}),
        # test_skip_extra_notebooks: a copy beside the notebook is not graded
        "copies": ({"p1": "submitted-changed.ipynb", "p1 copy": "submitted-unchanged.ipynb"},
                   None, {}),
    },
    "squares": {  # test.ipynb submitted solved (as is), as released, with outputs
        "solved": ({"p1": "test.ipynb"}, None, {}),
        "blank": ({"p1": RELEASED}, None, {}),
        "outputs": ({"p1": "test-with-output.ipynb"}, None, {}),  # test_no_execute
    },
    "formats": {  # what test_nbgrader_update reads: metadata in old formats, one too new
        "toonew": ({"p1": "too-new.ipynb"}, None, {}),
        "v0": ({"p1": "test-v0.ipynb"}, None, {}),
        "v1": ({"p1": "test-v1.ipynb"}, None, {}),
        "v2": ({"p1": "test-v2.ipynb"}, None, {}),
    },
    "hidden": {  # test_hidden_tests_single_notebook: the release passes all visible tests
        "foo": ({"p1": RELEASED}, None, {}),
    },
    "files": {  # test_side_effects, test_grade_with_validating_envvar, test_infinite_loop,
        # test_autograde_timeout, test_validate_subdir, test_validate_zero_points
        "foo": ({name: source for name, source in TEST_SUITE_SOURCES["files"].items()},
                None, {}),
    },
    "overwrite": {  # test_grade_overwrite_files
        "foo": ({"p1": "submitted-unchanged.ipynb"}, ONE_HOUR_LATE,
                {"data.csv": "some,other,data\n", "helper.py": "print('this is different!')\n"}),
    },
}
TEST_SUITE_ASSIGNMENTS = tuple(TEST_SUITE_SOURCES)


def documentation_course(root):
    """nbgrader's documentation course at `root`: ps1 generated, due at DOCS_DUEDATE, with
    bitdiddle's and hacker's submissions (timestamps included); return `root`."""
    root = Path(root)
    root.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n")
    shutil.copytree(USER_GUIDE / "source" / DOCS_ASSIGNMENT, root / "source" / DOCS_ASSIGNMENT)
    _generate(root, DOCS_ASSIGNMENT, DOCS_DUEDATE)
    for student in DOCS_STUDENTS:
        shutil.copytree(USER_GUIDE / "submitted" / student / DOCS_ASSIGNMENT,
                        root / "submitted" / student / DOCS_ASSIGNMENT)
    return root


def nbgrader_tests_course(root):
    """The course of TEST_SUITE_ASSIGNMENTS at `root`, generated and submitted; return it."""
    root = Path(root)
    root.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(SUITE_CONFIG)
    (root / "suite_late.py").write_text(LATE_PLUGIN)
    for assignment in TEST_SUITE_SOURCES:
        if assignment not in GENERATE_OPTIONS:
            _add_source(root, assignment)
    _generate(root, "*", SUITE_DUEDATE)  # in one run of nbgrader
    for assignment, options in GENERATE_OPTIONS.items():
        _add_source(root, assignment)
        _generate(root, assignment, SUITE_DUEDATE, *options)
    for assignment, submissions in TEST_SUITE_SUBMISSIONS.items():
        for student, submission in submissions.items():
            _submit(root, assignment, student, *submission)
    return root


def _add_source(root, assignment):
    source = root / "source" / assignment
    source.mkdir(parents=True)
    for name, test_file in TEST_SUITE_SOURCES[assignment].items():
        shutil.copyfile(TEST_FILES / test_file, source / f"{name}.ipynb")
    for name, text in SOURCE_FILES.get(assignment, {}).items():
        (source / name).write_text(text)


def _generate(root, assignments, duedate, *options):
    """nbgrader's generate_assignment of `assignments` (a name, or "*" for all in source/),
    with `options`; every assignment is then due at `duedate`, as `nbgrader db assignment
    add --duedate` would have it."""
    generated = run_nbgrader(root, "generate_assignment", assignments, *options)
    assert generated.returncode == 0, generated.stderr
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "") as gb:
        for assignment in gb.assignments:
            gb.update_or_create_assignment(assignment.name, duedate=duedate)


def _submit(root, assignment, student, notebooks, timestamp, files):
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    for name, test_file in notebooks.items():
        if test_file == RELEASED:
            released = nbformat.read(root / "release" / assignment / f"{name}.ipynb", 4)
            nbformat.write(released, folder / f"{name}.ipynb")
        else:
            shutil.copyfile(TEST_FILES / test_file, folder / f"{name}.ipynb")
    for name, text in files.items():
        (folder / name).write_text(text)
    if timestamp:
        (folder / "timestamp.txt").write_text(timestamp)
