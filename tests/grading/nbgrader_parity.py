"""Grade the same course with real `nbgrader autograde` and with `course autograde`.

`new_parity_course` builds a small nbgrader course (one notebook, stdlib only, so kernels start
fast) with every kind of nbgrader cell: an autograded answer and its test (with a hidden
test), a test of the grading environment, a manually graded answer and a task. Its assignment
has a due date; its nbgrader_config.py names a custom late-penalty plugin
(`parity_late.PointPerHour`, next to the config, as nbgrader's documentation shows), a cell
time limit (`c.Execute.timeout`) and a file whose student copy is kept
(`c.Autograde.exclude_overwriting`). Besides the notebook, the assignment releases two files,
`helper.py` and `data.txt`, and keeps one in source/ only, `answers_key.txt`.

`twin_courses` copies a course, submissions and gradebook included, so that each tool grades
an identical copy; `gradebook_snapshot` reads a gradebook back through nbgrader's API the way
formgrader shows it, as plain data the two tools' results can be compared with (`==`).

    nbgrader_root, course_root = twin_courses(root, tmp_path)
    nbgrader_autograde(nbgrader_root).returncode, course_autograde(course_root)[0]  # 0, 0
    assert gradebook_snapshot(nbgrader_root) == gradebook_snapshot(course_root)

`grade_twins` grades one class that way, in two rounds; the `twins` fixture (conftest.py)
does it once for all the tests that use it.

For any other course (nbgrader's own material, `nbgrader_material`), `grade_both` grades
given assignments with both tools at once, and `assignment_snapshot`, `autograded_files` and
`autograded_notebooks` read back, for an assignment of any number of notebooks, what each
tool left in the gradebook and in autograded/.
"""

import io
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from pathlib import Path

import nbformat
from grading_testkit import course_cli
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook

ASSIGNMENT = "parity"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
DUEDATE = "2024-03-01 12:00:00 UTC"
COURSE_ID = "parity-course"
CELL_TIMEOUT = 5  # seconds; the cells of the course take milliseconds

CONFIG = f"""\
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{COURSE_ID}"
c.AssignLatePenalties.plugin_class = "parity_late.PointPerHour"
c.Execute.timeout = {CELL_TIMEOUT}
c.Autograde.exclude_overwriting = {{"{ASSIGNMENT}": ["helper.py"]}}
"""
RELEASED_FILES = {"helper.py": 'MESSAGE = "the instructor\'s helper"\n',
                  "data.txt": "the instructor's data\n"}
SOURCE_ONLY_FILE = ("answers_key.txt", "double(x) is 2 * x\n")
LATE_PLUGIN = '''\
"""One point off per hour late, rounded: the example plugin of nbgrader's documentation."""
from nbgrader.plugins import BasePlugin


class PointPerHour(BasePlugin):
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return round(total_seconds_late / 3600)
'''

# grade id -> (cell kind, source in the instructor's version, points)
SOURCE_CELLS = {
    "setup": ("locked", "import os", None),
    "double": ("answer", "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n"
               "    ### END SOLUTION", None),
    "test_double": ("test", "assert double(3) == 6\n### BEGIN HIDDEN TESTS\n"
                    "assert double(-2) == -4\n### END HIDDEN TESTS", 2),
    "test_environment": ("test", "assert os.environ.get('NBGRADER_EXECUTION') == 'autograde'", 1),
    "explain": ("written", "Doubling adds a number to itself.", 2),
    "negatives_task": ("task", "Say what `double` does to negative numbers.", 1),
}
ROLES = {  # nbgrader metadata of each cell kind
    "locked": {"grade": False, "solution": False, "locked": True},
    "answer": {"grade": False, "solution": True, "locked": False},
    "test": {"grade": True, "solution": False, "locked": True},
    "written": {"grade": True, "solution": True, "locked": False},
    "task": {"grade": False, "solution": False, "locked": True, "task": True},
}


def source_notebook():
    """The instructor's version of the assignment's notebook."""
    cells = []
    for grade_id, (kind, source, points) in SOURCE_CELLS.items():
        new_cell = new_code_cell if kind in ("locked", "answer", "test") else new_markdown_cell
        metadata = {**ROLES[kind], "grade_id": grade_id, "schema_version": 3}
        if points is not None:
            metadata["points"] = points
        cells.append(new_cell(source, metadata={"nbgrader": metadata}))
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return new_notebook(cells=cells, metadata={"kernelspec": kernelspec})


def new_parity_course(root):
    """A generated course at `root`, with the assignment due at DUEDATE; return `root`."""
    root = Path(root)
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(CONFIG)
    (root / "parity_late.py").write_text(LATE_PLUGIN)
    nbformat.write(source_notebook(), root / "source" / ASSIGNMENT / NOTEBOOK)
    for name, text in RELEASED_FILES.items():
        (root / "source" / ASSIGNMENT / name).write_text(text)
    assert course_cli(root, "generate", ASSIGNMENT) == 0
    name, text = SOURCE_ONLY_FILE  # added after the release: students never got it
    (root / "source" / ASSIGNMENT / name).write_text(text)
    with Gradebook(gradebook_url(root), COURSE_ID) as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=DUEDATE)
    return root


def released(root):
    return nbformat.read(Path(root) / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)


def answered(release_nb, answers):
    """The released notebook with the cells of `answers` (grade id -> source) answered."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def with_cells(nb, sources, after):
    """`nb` with plain code cells of a student's own (`sources`) after cell `after`."""
    nb = nbformat.from_dict(nb)
    index = next(i for i, cell in enumerate(nb.cells)
                 if cell.metadata.get("nbgrader", {}).get("grade_id") == after)
    nb.cells[index + 1:index + 1] = [new_code_cell(source) for source in sources]
    return nb


def submit(root, student, files, timestamp=None):
    """Put a submission in submitted/<student>/parity/: `files` maps names to a notebook or
    to text; `timestamp` (nbgrader's format) goes to timestamp.txt."""
    folder = Path(root) / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, content in files.items():
        if isinstance(content, str):
            (folder / name).write_text(content)
        else:
            nbformat.write(content, folder / name)
    if timestamp:
        (folder / "timestamp.txt").write_text(timestamp)
    return folder


def twin_courses(root, target):
    """Two identical copies of course `root` under `target`: (for nbgrader, for course)."""
    copies = []
    for name in ("nbgrader", "course"):
        copy = Path(target) / name
        shutil.copytree(root, copy, dirs_exist_ok=True)
        copies.append(copy)
    return tuple(copies)


def nbgrader(root, *args):
    """Run real `nbgrader ARGS` in course `root`; return the finished process."""
    home = Path(root) / ".home"  # jupyter's runtime files: none in the real home directory
    home.mkdir(exist_ok=True)
    environment = {"PATH": f"{sys.prefix}/bin:/usr/bin:/bin", "HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=environment,
                          capture_output=True, text=True, timeout=300)


def nbgrader_autograde(root, *args, assignment=ASSIGNMENT):
    return nbgrader(root, "autograde", assignment, *args)


def course_autograde(root, *args, assignment=ASSIGNMENT):
    """Run `course autograde ASSIGNMENT ARGS` in this process; return (exit status, its
    output)."""
    output = io.StringIO()
    with redirect_stdout(output):
        status = course_cli(root, "autograde", assignment, "--no-progress", *args)
    return status, output.getvalue()


def grade_both(root, target, assignments, one_by_one=()):
    """Grade each of `assignments` of course `root` with both tools, each on its own copy
    under `target`, nbgrader in a thread beside `course`. nbgrader stops a whole run at the
    first notebook in an old or too new metadata format: the assignments of `one_by_one` it
    also grades one student per run, after the whole run. Return the copies' roots, `runs`:
    per assignment, (nbgrader's finished process, course's exit status, course's output),
    and `one_by_one`: per assignment, the students nbgrader's whole run recorded and its
    process per student."""
    nbgrader_root, course_root = twin_courses(root, target)

    def nbgrader_runs():
        runs, separately = {}, {}
        for assignment in assignments:
            runs[assignment] = nbgrader_autograde(nbgrader_root, assignment=assignment)
            if assignment in one_by_one:
                graded = assignment_snapshot(nbgrader_root, assignment)
                students = sorted(p.parent.name for p in
                                  Path(nbgrader_root).glob(f"submitted/*/{assignment}"))
                separately[assignment] = {
                    "recorded_by_whole_run": sorted(s for s, row in graded.items() if row),
                    "runs": {s: nbgrader_autograde(nbgrader_root, "--student", s,
                                                   assignment=assignment) for s in students}}
        return runs, separately

    with ThreadPoolExecutor(1) as thread:
        theirs = thread.submit(nbgrader_runs)
        ours = {a: course_autograde(course_root, assignment=a) for a in assignments}
        runs, separately = theirs.result()
    return {"nbgrader": nbgrader_root, "course": course_root, "one_by_one": separately,
            "runs": {a: (runs[a], *ours[a]) for a in assignments}}


def gradebook_url(root):
    return f"sqlite:///{Path(root) / 'gradebook.db'}"


def gradebook_snapshot(root):
    """What formgrader shows of the assignment: student -> the submission's scores, late
    penalty and flags, and each grade's and comment's values (None for no submission)."""
    with Gradebook(gradebook_url(root), COURSE_ID) as gb:
        assignment = gb.find_assignment(ASSIGNMENT)
        submissions = {s.student.id: s for s in assignment.submissions}
        snapshot = {}
        for student in sorted(s.id for s in gb.students):
            submission = submissions.get(student)
            snapshot[student] = None if submission is None else _submission_data(submission)
        return snapshot


def _submission_data(submission):
    notebook = submission.notebooks[0]
    return {
        "timestamp": submission.timestamp,
        "score": submission.score,
        "max_score": submission.max_score,
        "late_submission_penalty": submission.late_submission_penalty,
        "notebook_late_submission_penalty": notebook.late_submission_penalty,
        "needs_manual_grade": submission.needs_manual_grade,
        "grades": {g.name: {"auto_score": g.auto_score, "manual_score": g.manual_score,
                            "needs_manual_grade": g.needs_manual_grade, "score": g.score}
                   for g in notebook.grades},
        "comments": {c.name: c.auto_comment for c in notebook.comments},
    }


def assignment_snapshot(root, assignment, course_id=""):
    """Like `gradebook_snapshot`, for any assignment of several notebooks: student -> None
    (no submission), or the submission's totals and, per notebook, its score, late penalty,
    flags, grades and comments."""
    with Gradebook(gradebook_url(root), course_id) as gb:
        submissions = {s.student.id: s for s in gb.find_assignment(assignment).submissions}
        snapshot = {}
        for student in sorted(s.id for s in gb.students):
            submission = submissions.get(student)
            snapshot[student] = None if submission is None else {
                "timestamp": submission.timestamp,
                "score": submission.score,
                "max_score": submission.max_score,
                "late_submission_penalty": submission.late_submission_penalty,
                "needs_manual_grade": submission.needs_manual_grade,
                "notebooks": {nb.name: _notebook_data(nb) for nb in submission.notebooks},
            }
        return snapshot


def _notebook_data(notebook):
    return {
        "score": notebook.score,
        "late_submission_penalty": notebook.late_submission_penalty,
        "needs_manual_grade": notebook.needs_manual_grade,
        "grades": {g.name: {"auto_score": g.auto_score, "manual_score": g.manual_score,
                            "needs_manual_grade": g.needs_manual_grade, "score": g.score}
                   for g in notebook.grades},
        "comments": {c.name: c.auto_comment for c in notebook.comments},
    }


def autograded_files(root, assignment):
    """student -> {path: bytes} of every file but the notebooks in autograded/<student>/
    ASSIGNMENT/, hidden ones aside (course's own work, such as a folder being swapped in)."""
    found = {}
    for folder in sorted(Path(root).glob(f"autograded/*/{assignment}")):
        found[folder.parent.name] = {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix != ".ipynb"
            and not any(part.startswith(".") for part in path.relative_to(folder).parts)}
    return found


def autograded_notebooks(root, assignment):
    """student -> notebook -> its cells as graders read them in autograded/: (cell type,
    grade id, source, outputs), each output as ("stream", name, text), ("error", ename,
    evalue), ("execute_result", text) or (output type, its MIME types). Left out: the
    "Autograder notes" cell `course` adds on top, and what varies from run to run (execution
    counts, timings, tracebacks)."""
    found = {}
    for path in sorted(Path(root).glob(f"autograded/*/{assignment}/*.ipynb")):
        cells = [(cell.cell_type, cell.metadata.get("nbgrader", {}).get("grade_id"),
                  cell.source, [_output(o) for o in cell.get("outputs", [])])
                 for cell in nbformat.read(path, as_version=4).cells
                 if "grader-notes" not in cell.metadata.get("tags", [])]
        found.setdefault(path.parent.parent.name, {})[path.stem] = cells
    return found


def _output(output):
    if output.output_type == "stream":
        return ("stream", output.name, output.text)
    if output.output_type == "error":
        return ("error", output.ename, output.evalue)
    if output.output_type == "execute_result":
        return ("execute_result", output.data.get("text/plain"))
    return (output.output_type, sorted(output.get("data", {})))


def grade_by_hand(root, student, grade_id, manual_score):
    """Give a grade a manual score as formgrader's grade API does."""
    with Gradebook(gradebook_url(root), COURSE_ID) as gb:
        grade = gb.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, student)  # notebook, assignment
        grade.manual_score = manual_score
        grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        gb.db.commit()


# The class both tools grade: `twins`

ON_TIME = "2024-03-01 11:00:00 UTC"  # the assignment is due at 12:00
TWO_HOURS_LATE = "2024-03-01 14:00:00 UTC"
TEN_HOURS_LATE = "2024-03-01 22:00:00 UTC"
SOLVED = {"double": "def double(x):\n    return x + x", "explain": "It adds x to itself."}
WRONG = {**SOLVED, "double": "def double(x):\n    return abs(2 * x)"}  # fails a hidden test
SLOW = {**SOLVED, "double": f"def double(x):\n    import time\n    time.sleep({CELL_TIMEOUT + 3})"
        "\n    return x + x"}
SYNTAX_ERROR = "def broken(:\n    pass"
WRITES_FILES = """\
import os, pathlib
pathlib.Path("side-effect.txt").write_text("a side effect")
pathlib.Path("out").mkdir()
pathlib.Path("out/table.csv").write_text("x,y\\n1,2\\n")
os.symlink("/etc/passwd", "passwd-link")
os.symlink("/etc", "etc-link")
pathlib.Path("big.bin").write_bytes(b"0" * 3 * 2**20)  # past course's output size limit
pathlib.Path("listing.txt").write_text(" ".join(sorted(os.listdir("."))))
import helper
pathlib.Path("helper-said.txt").write_text(helper.MESSAGE)
pathlib.Path("data-read.txt").write_text(pathlib.Path("data.txt").read_text())"""
STUDENT_FILES = {"helper.py": 'MESSAGE = "the student\'s helper"\n',
                 "data.txt": "the student's data\n"}


def first_round(release_nb):
    """student -> (files, timestamp): submissions that grade, and two without a notebook."""
    return {
        "ontime": ({NOTEBOOK: answered(release_nb, SOLVED)}, ON_TIME),
        "late": ({NOTEBOOK: answered(release_nb, SOLVED)}, TWO_HOURS_LATE),
        "verylate": ({NOTEBOOK: answered(release_nb, WRONG)}, TEN_HOURS_LATE),
        "blank": ({NOTEBOOK: release_nb}, ON_TIME),
        "stuck": ({NOTEBOOK: with_cells(answered(release_nb, SLOW), [SYNTAX_ERROR], "double")},
                  ON_TIME),
        "writer": ({NOTEBOOK: with_cells(answered(release_nb, SOLVED), [WRITES_FILES], "double"),
                    **STUDENT_FILES}, ON_TIME),
        "empty": ({}, None),
        "notesonly": ({"notes.txt": "I could not do it"}, None),
    }


def second_round(release_nb):
    """Submissions neither tool can grade."""
    return {
        "badjson": ({NOTEBOOK: '{"cells": [ not json'}, ON_TIME),
        "othername": ({"homework.ipynb": answered(release_nb, SOLVED)}, ON_TIME),
    }


def grade_twins(base):
    """The class graded by both tools, on copies under `base`, in both rounds: the roots and
    each round's (nbgrader's finished process, course's exit status, course's output)."""
    root = new_parity_course(base / "source-course")
    release_nb = released(root)
    for student, (files, timestamp) in first_round(release_nb).items():
        submit(root, student, files, timestamp)
    nbgrader_root, course_root = twin_courses(root, base)
    rounds = [(nbgrader_autograde(nbgrader_root), *course_autograde(course_root))]
    for student, (files, timestamp) in second_round(release_nb).items():
        for copy in (nbgrader_root, course_root):
            submit(copy, student, files, timestamp)
    rounds.append((nbgrader_autograde(nbgrader_root), *course_autograde(course_root)))
    return {"nbgrader": nbgrader_root, "course": course_root, "rounds": rounds}
