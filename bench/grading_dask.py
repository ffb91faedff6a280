"""The cost of grading on a Dask cluster: `--cluster local:N` against the local pool of N slots.

    .venv/bin/python bench/grading_dask.py [--assignment ps0_numpy] [--students 40]
                                           [--workers 1 2 4] [--repeats 3]

Both run `course autograde` on the same class (the assignment's sample class repeated to
`--students` submissions, made as bench/grading.py makes it), each run on a fresh copy of one
collected course: the local pool with `--workers N`, and a LocalCluster of N Dask worker
processes with `--cluster local:N`. The cluster's time includes starting it, and what the
cluster path adds per submission: the files travel as bytes, results are written back. Runs
are interleaved pool → cluster, `--repeats` times; every gradebook must agree, student by
student, before a number is printed. Prints submissions per minute and the median ratio
cluster / pool for each N, and writes bench/results/grading_dask.json. Needs root and
bubblewrap, like grading itself.
"""

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests" / "grading")]

import grading_samples  # noqa: E402

# bench/grading.py, loaded under another name: "grading" is the grader's package.
_spec = importlib.util.spec_from_file_location("bench_grading", REPO / "bench" / "grading.py")
bench_grading = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_grading)

SAMPLES = {grading_samples.ASSIGNMENT: grading_samples, **bench_grading.SAMPLES}


def grade(course, assignment, *options):
    """Seconds `course autograde ASSIGNMENT OPTIONS` takes on `course`."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "grading.cli", "--course", str(course), "autograde",
                    assignment, "--no-progress", *options],
                   cwd=REPO, env=bench_grading.ENV, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", default="ps0_numpy", choices=sorted(SAMPLES))
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    samples = SAMPLES[args.assignment]
    seconds = {(how, n): [] for n in args.workers for how in ("pool", "cluster")}
    with tempfile.TemporaryDirectory() as tmp:
        collected = bench_grading.prepare_course(Path(tmp) / "collected" / "course", samples,
                                                 args.students)
        expected = None
        for repeat in range(args.repeats):
            for n in args.workers:
                for how, options in (("pool", ["--workers", str(n)]),
                                     ("cluster", ["--cluster", f"local:{n}"])):
                    course = Path(tmp) / f"{how}-{n}-{repeat}"
                    shutil.copytree(collected, course)
                    seconds[how, n].append(grade(course, args.assignment, *options))
                    scores = bench_grading.scores(course, args.assignment)
                    expected = expected or scores
                    assert len(scores) == args.students and scores == expected, (how, n)
                    shutil.rmtree(course)
    rows = []
    for n in args.workers:
        pool, cluster = (statistics.median(seconds[how, n]) for how in ("pool", "cluster"))
        rows.append({"workers": n, "pool_seconds": round(pool, 1),
                     "cluster_seconds": round(cluster, 1),
                     "pool_per_minute": round(60 * args.students / pool, 1),
                     "cluster_per_minute": round(60 * args.students / cluster, 1),
                     "cluster_over_pool": round(cluster / pool, 2)})
    result = {"assignment": args.assignment, "students": args.students, "cores": os.cpu_count(),
              "repeats": args.repeats, "rows": rows}
    (REPO / "bench" / "results").mkdir(exist_ok=True)
    (REPO / "bench" / "results" / "grading_dask.json").write_text(
        json.dumps(result, indent=2) + "\n")
    print(f"{args.students} submissions of {args.assignment}, {os.cpu_count()} cores, "
          f"median of {args.repeats}\n"
          "workers | pool s | cluster s | pool /min | cluster /min | cluster / pool")
    for row in rows:
        print(f"{row['workers']:7} | {row['pool_seconds']:6} | {row['cluster_seconds']:9} | "
              f"{row['pool_per_minute']:9} | {row['cluster_per_minute']:12} | "
              f"{row['cluster_over_pool']}")


if __name__ == "__main__":
    run()
