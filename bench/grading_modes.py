"""`course autograde` as root against `course autograde` as an ordinary user, on one class.

    .venv/bin/python bench/grading_modes.py [--students 40] [--repeats 2]

One course (ps1_dense_by_hand's sample class, which imports torch) is generated and
collected once, then each run grades a fresh copy of it in one of three sandbox modes
(`grading.pipeline.sandbox`):

* `root`: a uid per slot, cgroup limits per sandbox;
* `user, delegated cgroup`: an ordinary user (made for the run, as the tests make one) with a
  cgroup of its own, delegated as the machine does it (`tests/grading/ordinary_user.py`: by
  hand with cgroup v1, a systemd user scope with v2); a user namespace per sandbox;
* `user, no cgroup`: another such user without one: per-process limits only.

Runs alternate between the modes (`--repeats` rounds), every gradebook must equal root's
before anything is printed, and the medians are reported with the ratio to root. Needs root
(to make the user) and bubblewrap; writes bench/results/grading_modes.json.
"""

import argparse
import contextlib
import importlib.util
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "grading")]

import samples_ps1  # noqa: E402
from ordinary_user import COURSE, OrdinaryUser  # noqa: E402

from grading.cli import main  # noqa: E402


def _bench_module(name):
    """A module of bench/ by file (bench/grading.py's name is taken by the package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CLASSES = _bench_module("grading")  # sample_course and scores, shared with that benchmark
MODES = ("root", "user, delegated cgroup", "user, no cgroup")


def grade(mode, course, assignment, user):
    """Seconds `course autograde` takes on `course` in `mode`."""
    start = time.perf_counter()
    if mode == "root":
        with contextlib.redirect_stdout(io.StringIO()):  # its summary, as the others' below
            main(["--course", str(course), "autograde", assignment, "--no-progress"])
    else:
        user.give(course)
        command = user.command([COURSE, "--course", str(course), "autograde", assignment,
                                "--no-progress"])
        subprocess.run(command, cwd=user.home, check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    seconds = {mode: [] for mode in MODES}
    with (tempfile.TemporaryDirectory() as tmp, OrdinaryUser(delegated_cgroup=True) as delegated,
          OrdinaryUser() as plain):
        users = {"root": plain, "user, delegated cgroup": delegated, "user, no cgroup": plain}
        course, assignment = CLASSES.sample_course(Path(tmp) / "class" / "course", samples_ps1,
                                                   args.students)
        expected = None
        for round_number in range(args.repeats):
            for mode in MODES:
                home = users[mode].folder(f"run{round_number}-{MODES.index(mode)}")
                copy = shutil.copytree(course, home / "course")
                seconds[mode].append(grade(mode, copy, assignment, users[mode]))
                got = CLASSES.scores(copy, assignment)
                expected = expected or got
                assert got == expected and len(got) == args.students, f"{mode}: gradebook differs"
    root = statistics.median(seconds["root"])
    results = [{"mode": mode, "students": args.students, "assignment": samples_ps1.ASSIGNMENT,
                "seconds": round(statistics.median(seconds[mode]), 1),
                "per_minute": round(60 * args.students / statistics.median(seconds[mode]), 1),
                "time_vs_root": round(statistics.median(seconds[mode]) / root, 3)}
               for mode in MODES]
    for result in results:
        print(f"{result['mode']:>24}: {result['seconds']:6.1f} s, {result['per_minute']:5.1f} "
              f"per minute, {result['time_vs_root']:.3f}x root's time")
    (REPO / "bench" / "results").mkdir(exist_ok=True)
    (REPO / "bench" / "results" / "grading_modes.json").write_text(
        json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    run()
