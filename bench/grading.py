"""How fast `course autograde` grades, and what the sandbox costs.

    .venv/bin/python bench/grading.py [--students N] [--workers N]

Prints: the cost of starting a jailed process versus a plain one, then seconds per
submission for a class of N solved ps0_numpy submissions, sandboxed and unsandboxed.
Needs root and bubblewrap, like grading itself.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "grading")]

from grading_samples import ASSIGNMENT, SOLVED, make_submission, new_course, read_release  # noqa: E402

from grading.cli import main  # noqa: E402
from grading.pipeline.sandbox import Limits, Sandbox, Slot  # noqa: E402


def process_start_seconds(sandboxed, repeats=20):
    """Median wall time to run `python -c pass`, jailed or not."""
    with tempfile.TemporaryDirectory() as empty:
        sandbox = Sandbox(Slot(0), Limits(), empty, enabled=sandboxed)
        command = sandbox.command([sys.executable, "-c", "pass"])
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(command, check=True, cwd=sandbox.host_cwd())
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def grading_seconds(students, workers, sandboxed):
    """Wall time for `course autograde` on `students` solved submissions."""
    with tempfile.TemporaryDirectory() as tmp:
        course = new_course(Path(tmp) / "course")
        assert main(["--course", str(course), "generate", ASSIGNMENT]) == 0
        inbox = Path(tmp) / "inbox"
        for i in range(students):
            folder = inbox / f"student{i:03d}"
            folder.mkdir(parents=True)
            nb = make_submission(read_release(course), SOLVED)
            (folder / f"{ASSIGNMENT}.ipynb").write_text(__import__("nbformat").writes(nb))
        assert main(["--course", str(course), "collect", ASSIGNMENT, str(inbox)]) == 0
        args = ["--course", str(course), "autograde", ASSIGNMENT, "--workers", str(workers),
                "--no-progress"] + ([] if sandboxed else ["--unsafe-no-sandbox"])
        start = time.perf_counter()
        assert main(args) == 0
        return time.perf_counter() - start


def run():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    jailed, plain = process_start_seconds(True), process_start_seconds(False)
    results = [f"process start: {plain * 1000:.0f} ms plain, {jailed * 1000:.0f} ms jailed "
               f"(+{(jailed - plain) * 1000:.0f} ms)"]
    for sandboxed in (True, False):
        total = grading_seconds(args.students, args.workers, sandboxed)
        label = "sandboxed" if sandboxed else "unsandboxed"
        results.append(f"{label}: {args.students} submissions, {args.workers} workers: "
                       f"{total:.1f} s, {total / args.students:.2f} s per submission")
    print("\n".join(results))


if __name__ == "__main__":
    run()
