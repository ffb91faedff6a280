"""Grade the same course with real `nbgrader autograde` and with `course autograde`.

`new_parity_course` builds a small nbgrader course (one notebook, stdlib only, so kernels start
fast) with every kind of nbgrader cell: an autograded answer and its test, a test of the
grading environment, a manually graded answer and a task. Its assignment has a due date and
its nbgrader_config.py names a custom late-penalty plugin (`parity_late.PointPerHour`, next to
the config, as nbgrader's documentation shows).

`twin_courses` copies a course, submissions and gradebook included, so that each tool grades
an identical copy; `gradebook_snapshot` reads a gradebook back through nbgrader's API the way
formgrader shows it, as plain data the two tools' results can be compared with (`==`).

    nbgrader_root, course_root = twin_courses(root, tmp_path)
    nbgrader_autograde(nbgrader_root).returncode, course_autograde(course_root)[0]  # 0, 0
    assert gradebook_snapshot(nbgrader_root) == gradebook_snapshot(course_root)
"""

import io
import shutil
import subprocess
import sys
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

CONFIG = f"""\
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{COURSE_ID}"
c.AssignLatePenalties.plugin_class = "parity_late.PointPerHour"
"""
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
    "test_double": ("test", "assert double(3) == 6", 2),
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
    assert course_cli(root, "generate", ASSIGNMENT) == 0
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


def nbgrader_autograde(root, *args):
    return nbgrader(root, "autograde", ASSIGNMENT, *args)


def course_autograde(root, *args):
    """Run `course autograde parity ARGS` in this process; return (exit status, its output)."""
    output = io.StringIO()
    with redirect_stdout(output):
        status = course_cli(root, "autograde", ASSIGNMENT, "--no-progress", "--timeout", "20",
                            *args)
    return status, output.getvalue()


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


def grade_by_hand(root, student, grade_id, manual_score):
    """Give a grade a manual score as formgrader's grade API does."""
    with Gradebook(gradebook_url(root), COURSE_ID) as gb:
        grade = gb.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, student)  # notebook, assignment
        grade.manual_score = manual_score
        grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        gb.db.commit()
