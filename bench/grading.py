"""Plain `nbgrader autograde` against `course autograde`, on the same classes, in one run.

    .venv/bin/python bench/grading.py [--cases sample docs one-cell] [--quick]
        [--assignment ps1_dense_by_hand] [--students 100] [--small-students 40]

Three classes, each graded by both tools from identical copies of one course directory
(generated and collected once):

* `sample`: the assignment's sample class (solved, partly solved, empty, wrong) repeated to
  `--students` submissions;
* `docs`: nbgrader's documentation course, as its package ships it (ps1: two notebooks, the
  submissions of bitdiddle and hacker; `tests/grading/nbgrader_material.py`);
* `one-cell`: `--small-students` submissions of a notebook where students write one cell (a
  function, and its one-line test; stdlib only): almost nothing but each tool's fixed cost and
  a kernel per submission.

`nbgrader autograde` runs as nbgrader ships it (one submission at a time, unsandboxed),
`course autograde` with its defaults (sandboxed, one worker per core). Both gradebooks must
agree, student by student, before any number is printed. Prints submissions per minute and
the ratio per class, and writes bench/results/grading.json. `--quick` grades 8 sample
submissions and 10 one-cell ones, for a check on a busy machine. Needs root and bubblewrap,
like grading itself.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "grading")]

import nbformat  # noqa: E402
import nbgrader_material  # noqa: E402
import samples_ps1  # noqa: E402
import samples_ps2  # noqa: E402
import samples_ps3  # noqa: E402
from grading_samples import (  # noqa: E402
    make_submission,
    new_course,
    read_release,
    write_submission,
)
from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402

from grading.cli import main  # noqa: E402

SAMPLES = {s.ASSIGNMENT: s for s in (samples_ps1, samples_ps2, samples_ps3)}
ENV = {**os.environ, "PATH": f"{sys.prefix}/bin:{os.environ.get('PATH', '/usr/bin:/bin')}"}
ONE_CELL = "one_cell"
ONE_CELL_ANSWERS = ["def add(a, b):\n    return a + b", "def add(a, b):\n    return a - b",
                    "def add(a, b):\n    return a +"]  # right, wrong (still runs), broken
QUICK = {"students": 8, "small_students": 10}


def sample_course(root, samples, students):
    """A generated course with `students` collected submissions, cycling the sample class."""
    assignment = samples.ASSIGNMENT
    course = new_course(root)
    assert main(["--course", str(course), "generate", assignment]) == 0
    release = read_release(course, assignment)
    kinds = list(samples.SAMPLE_CLASS.values())
    inbox = root.parent / "inbox"
    for i in range(students):
        answers, _ = kinds[i % len(kinds)]
        write_submission(inbox, f"student{i:03d}", make_submission(release, answers),
                         f"{assignment}.ipynb")
    assert main(["--course", str(course), "collect", assignment, str(inbox)]) == 0
    return course, assignment


def one_cell_course(root, students):
    """A course whose assignment is one answer cell (a function to write) and its test, a
    point, stdlib only; `students` submissions of it, answered in turn right, wrong and so
    that it does not compile."""
    root.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n")
    answer = "def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION"
    cells = [new_code_cell(answer, metadata=_role("add", solution=True)),
             new_code_cell("assert add(2, 3) == 5", metadata=_role("test_add", points=1))]
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (root / "source" / ONE_CELL).mkdir(parents=True)
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": kernelspec}),
                   root / "source" / ONE_CELL / f"{ONE_CELL}.ipynb")
    assert main(["--course", str(root), "generate", ONE_CELL]) == 0
    release = nbformat.read(root / "release" / ONE_CELL / f"{ONE_CELL}.ipynb", as_version=4)
    for i in range(students):
        release.cells[0].source = ONE_CELL_ANSWERS[i % len(ONE_CELL_ANSWERS)]
        folder = root / "submitted" / f"student{i:03d}" / ONE_CELL
        folder.mkdir(parents=True)
        nbformat.write(release, folder / f"{ONE_CELL}.ipynb")
    return root, ONE_CELL


def _role(grade_id, solution=False, points=None):
    """nbgrader metadata: an answer cell (`solution`) or a test worth `points`."""
    role = {"grade": points is not None, "solution": solution, "locked": not solution,
            "grade_id": grade_id, "schema_version": 3}
    return {"nbgrader": role if points is None else {**role, "points": points}}


def docs_course(root):
    return nbgrader_material.documentation_course(root), nbgrader_material.DOCS_ASSIGNMENT


def timed(command, cwd):
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def scores(course, assignment):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "") as gb:
        return {s.student.id: s.score for s in gb.find_assignment(assignment).submissions}


def compare(name, build, tmp):
    """Grade the class `build(root)` makes with both tools; the numbers, as a dict."""
    plain, assignment = build(Path(tmp) / name / "plain" / "course")
    ours = Path(tmp) / name / "ours"
    shutil.copytree(plain, ours)
    nbgrader_s = timed([sys.executable, "-m", "nbgrader", "autograde", assignment], plain)
    course_s = timed([sys.executable, "-m", "grading.cli", "--course", str(ours),
                      "autograde", assignment, "--no-progress"], REPO)
    expected = scores(plain, assignment)
    assert expected and scores(ours, assignment) == expected, f"{name}: gradebooks differ"
    students = len(expected)
    return {
        "class": name,
        "assignment": assignment,
        "students": students,
        "cores": os.cpu_count(),
        "nbgrader_seconds": round(nbgrader_s, 1),
        "course_seconds": round(course_s, 1),
        "nbgrader_per_minute": round(60 * students / nbgrader_s, 1),
        "course_per_minute": round(60 * students / course_s, 1),
        "ratio": round(nbgrader_s / course_s, 2),
    }


def run():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="+", default=["sample", "docs", "one-cell"],
                        choices=["sample", "docs", "one-cell"])
    parser.add_argument("--assignment", default="ps1_dense_by_hand", choices=sorted(SAMPLES))
    parser.add_argument("--students", type=int, default=100, help="of the sample class")
    parser.add_argument("--small-students", type=int, default=40, help="of the one-cell class")
    parser.add_argument("--quick", action="store_true",
                        help=f"smaller classes: {QUICK['students']} and "
                             f"{QUICK['small_students']} submissions")
    args = parser.parse_args()
    if args.quick:
        args.students, args.small_students = QUICK["students"], QUICK["small_students"]
    builders = {
        "sample": lambda root: sample_course(root, SAMPLES[args.assignment], args.students),
        "docs": docs_course,
        "one-cell": lambda root: one_cell_course(root, args.small_students),
    }
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.cases:
            results.append(compare(name, builders[name], tmp))
            print(report(results[-1]), flush=True)
    (REPO / "bench" / "results").mkdir(exist_ok=True)
    path = REPO / "bench" / "results" / "grading.json"
    path.write_text(json.dumps({"quick": args.quick, "results": results}, indent=2) + "\n")


def report(result):
    return (f"{result['class']}: {result['students']} submissions of {result['assignment']}, "
            f"{result['cores']} cores\n"
            f"  nbgrader autograde: {result['nbgrader_seconds']:.1f} s, "
            f"{result['nbgrader_per_minute']} per minute\n"
            f"  course autograde:   {result['course_seconds']:.1f} s, "
            f"{result['course_per_minute']} per minute (sandboxed, default workers)\n"
            f"  ratio: {result['ratio']}x")


if __name__ == "__main__":
    run()
