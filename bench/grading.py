"""Plain `nbgrader autograde` against `course autograde`, on the same class, in one run.

    .venv/bin/python bench/grading.py [--assignment ps1_dense_by_hand] [--students 100]

The class is the assignment's sample class (solved, partly solved, empty, wrong) repeated to
`--students` submissions. Both graders start from identical copies of one course directory
(generated and collected once); `nbgrader autograde` runs as nbgrader ships it (one
submission at a time, unsandboxed), `course autograde` with its defaults (sandboxed, one worker
per core). Both gradebooks must agree, student by student, before any number is printed.
Prints submissions per minute and the ratio, and writes bench/results/grading.json.
Needs root and bubblewrap, like grading itself.
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

import samples_ps1  # noqa: E402
import samples_ps2  # noqa: E402
import samples_ps3  # noqa: E402
from grading_samples import (  # noqa: E402
    make_submission,
    new_course,
    read_release,
    write_submission,
)
from nbgrader.api import Gradebook  # noqa: E402

from grading.cli import main  # noqa: E402

SAMPLES = {s.ASSIGNMENT: s for s in (samples_ps1, samples_ps2, samples_ps3)}
ENV = {**os.environ, "PATH": f"{sys.prefix}/bin:{os.environ.get('PATH', '/usr/bin:/bin')}"}


def prepare_course(root, samples, students):
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
    return course


def timed(command, cwd):
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def scores(course, assignment):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student.id: s.score for s in gb.find_assignment(assignment).submissions}


def run():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="ps1_dense_by_hand", choices=sorted(SAMPLES))
    parser.add_argument("--students", type=int, default=100)
    args = parser.parse_args()
    samples = SAMPLES[args.assignment]
    with tempfile.TemporaryDirectory() as tmp:
        plain = prepare_course(Path(tmp) / "plain" / "course", samples, args.students)
        ours = Path(tmp) / "ours"
        shutil.copytree(plain, ours)
        nbgrader_s = timed([sys.executable, "-m", "nbgrader", "autograde", args.assignment],
                           plain)
        course_s = timed([sys.executable, "-m", "grading.cli", "--course", str(ours),
                          "autograde", args.assignment, "--no-progress"], REPO)
        expected = scores(plain, args.assignment)
        assert len(expected) == args.students and scores(ours, args.assignment) == expected
    result = {
        "assignment": args.assignment,
        "students": args.students,
        "cores": os.cpu_count(),
        "nbgrader_seconds": round(nbgrader_s, 1),
        "course_seconds": round(course_s, 1),
        "nbgrader_per_minute": round(60 * args.students / nbgrader_s, 1),
        "course_per_minute": round(60 * args.students / course_s, 1),
        "ratio": round(nbgrader_s / course_s, 2),
    }
    (REPO / "bench" / "results").mkdir(exist_ok=True)
    (REPO / "bench" / "results" / "grading.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{args.students} submissions of {args.assignment}, {os.cpu_count()} cores\n"
          f"nbgrader autograde: {nbgrader_s:.0f} s, {result['nbgrader_per_minute']} per minute\n"
          f"course autograde:   {course_s:.0f} s, {result['course_per_minute']} per minute "
          f"(sandboxed, default workers)\n"
          f"ratio: {result['ratio']}x")


if __name__ == "__main__":
    run()
