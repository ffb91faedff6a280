"""`course autograde`: grade every submission in a sandbox, N at a time, resumably."""

import argparse
import ast
import os
import sys
import time

from ..pipeline.cluster import check_address
from ..pipeline.runner import Options, autograde
from ..pipeline.sandbox import Limits
from ..pipeline.settings import cell_timeout, check_settings, force
from ..table import format_table, points

HELP = "execute and grade submissions in sandboxes, in parallel, into nbgrader's gradebook"
DESCRIPTION = HELP + """. Submissions already graded are skipped (unless --force or
resubmitted); a run that was killed resumes where it stopped. Student code runs under
bubblewrap with no network and no view of the course; without bubblewrap, grading is refused
unless --unsafe-no-sandbox is given. nbgrader_config.py's autograding settings are honoured
(a command-line option wins over its setting), and a setting that cannot be is refused before
anything is graded."""


def add_parser(subparsers):
    parser = subparsers.add_parser("autograde", help=HELP, description=DESCRIPTION)
    parser.add_argument("assignment")
    parser.add_argument("--student", action="append", metavar="ID",
                        help="grade only this student (repeatable)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="submissions graded at once (default: number of cores)")
    parser.add_argument("--cluster", type=cluster_address, metavar="ADDRESS",
                        help="execute submissions on the workers of the Dask cluster whose "
                        "scheduler is at ADDRESS (tcp://host:8786), or on N local Dask worker "
                        "processes (local:N); --workers is then ignored. See the README")
    parser.add_argument("--force", action="store_true", help="grade again even if graded")
    parser.add_argument("--timeout", type=float, metavar="S",
                        help="seconds a cell may run before it is interrupted (default: "
                        f"nbgrader_config.py's c.Execute.timeout, else {Limits.cell_timeout:g})")
    parser.add_argument("--notebook-timeout", type=float, default=Limits.notebook_timeout,
                        metavar="S", help="seconds a whole notebook may run (default: %(default)s)")
    parser.add_argument("--memory", type=int, default=Limits.memory_bytes // 2**20, metavar="MiB",
                        help="address space of each process (default: %(default)s)")
    parser.add_argument("--sandbox-memory", type=int, metavar="MiB",
                        default=Limits.sandbox_memory_bytes // 2**20,
                        help="memory of all processes of one sandbox together, where cgroups "
                             "are available (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0,
                        help="value papermill injects as the notebook parameter `seed`")
    parser.add_argument("--parameter", "-p", action="append", default=[], type=parameter,
                        metavar="NAME=VALUE", help="another parameter for papermill to inject "
                        "(repeatable); VALUE is a Python literal, else a string")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="run student code without bubblewrap (only resource limits)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(course, args):
    check_settings(course)
    limits = chosen_limits(course, args)
    options = Options(workers=max(1, args.workers), force=args.force or force(course),
                      limits=limits,
                      sandboxed=not args.unsafe_no_sandbox, cluster=args.cluster,
                      parameters={"seed": args.seed, **dict(args.parameter)})
    started = time.monotonic()
    graded = autograde(course, args.assignment, args.student, options, not args.no_progress)
    print(summary(graded.rows, time.monotonic() - started, graded.limits))
    if all(row["status"] == "skipped" for row in graded.rows):
        print(f"course: no submission of {args.assignment} has a notebook: nothing to grade",
              file=sys.stderr)
    return exit_status(graded.rows)


def chosen_limits(course, args):
    """The limits of the command line; a cell's time limit not given there is nbgrader_config.py's
    c.Execute.timeout, else `Limits.cell_timeout`."""
    cell_limit = args.timeout if args.timeout is not None else cell_timeout(
        course, Limits.cell_timeout, args.notebook_timeout)
    return Limits(
        cell_timeout=cell_limit,
        notebook_timeout=args.notebook_timeout,
        cpu_seconds=int(args.notebook_timeout) + 1,
        memory_bytes=args.memory * 2**20,
        sandbox_memory_bytes=args.sandbox_memory * 2**20,
    )


def exit_status(rows):
    """nbgrader autograde's: 1 when a submission failed or could not be graded, or when no
    submission has a notebook ("No notebooks were matched"); else 0."""
    if any(row["status"] in ("failed", "error") for row in rows):
        return 1
    return 0 if any(row["status"] != "skipped" for row in rows) else 1


def cluster_address(text):
    """A scheduler's address or 'local:N', checked; as given."""
    try:
        check_address(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def parameter(text):
    """'epochs=5' -> ('epochs', 5); 'name=x' -> ('name', 'x')."""
    name, equals, value = text.partition("=")
    if not equals or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value


def summary(rows, seconds, limits):
    """The table printed after a run: one row per student, the counts, the limits applied."""
    table = []
    for row in rows:
        status = row["status"] if row.get("ran", True) else f"{row['status']} (earlier)"
        if row["status"] in ("error", "skipped"):
            table.append([row["student"], status, "-", row.get("error") or row["reason"]])
            continue
        score = f"{points(row['score'])}/{points(row['max_score'])}"
        table.append([row["student"], status, score, "; ".join(details(row))])
    counts = {s: sum(r["status"] == s for r in rows)
              for s in ("graded", "failed", "skipped", "error")}
    tampered = sum(bool(r.get("tampered")) for r in rows)
    footer = (f"{counts['graded']} graded, {counts['failed']} failed, {counts['skipped']} "
              f"skipped, {tampered} tampered, {counts['error']} grader errors in "
              f"{seconds:.1f} s")
    return "\n".join([format_table(["student", "status", "score", "details"], table),
                      *alert_lines(rows), footer, limits])


def alert_lines(rows):
    """One line per cell that timed out or did not compile (or ran out of memory, recursed
    too deep), naming the student, notebook and cell: they are easy to miss in a notebook."""
    return [f"{row['student']}: {alert}" for row in rows for alert in row.get("alerts", [])]


def details(row):
    """What to tell about a recorded submission: why it failed, notebooks missing, its late
    penalty, tampering."""
    penalty = row.get("late_submission_penalty")
    late = [f"late submission penalty {points(penalty)}"] if penalty else []
    return (row["failures"] + row.get("missing", []) + late
            + [f"tampered: {t}" for t in row["tampered"]])
