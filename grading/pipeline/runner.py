"""Grade a class: every submission through collect, check, execute, score, record.

This process is the only one that touches the gradebook. It prepares each submission (check),
hands execution to the worker process of one of N slots (`grading.pipeline.worker`), each slot
with its own sandbox uid, and records results as workers finish. One bad submission only ever
affects its own row.

Resuming: a submission recorded for its current files is skipped; one executed but not
recorded (the run was killed in between) is recorded without running again; anything else
runs again. A grader error (a worker crash, not the student's doing) records nothing and is
retried next run. A submission without any notebook is skipped, as nbgrader skips it.

Each slot's sandboxes run in the slot's cgroup (`grading.pipeline.cgroup`), which caps their
memory and processes together; the run's summary says whether cgroups were available.

With `Options.cluster`, the jobs execute on the workers of a Dask cluster instead of this
machine's slots (`grading.pipeline.cluster`); everything else here stays the same.
"""

import os
import queue
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field

from tqdm import tqdm

from .. import atomic
from ..course import CourseError
from .cgroup import SlotCgroups
from .check import (
    MissingNotebook,
    UnreadableNotebook,
    check_kernels,
    locate_notebook,
    prepare_notebook,
    read_notebook,
)
from .cluster import ClusterPool
from .collect import find_submissions
from .job import GraderError, time_limit
from .late import late_penalty_rule
from .ledger import Ledger
from .record import record_submission
from .sandbox import Limits, require_sandbox, sandbox_kind
from .settings import excluded_students, is_ignored, kept_student_files, timeout_error
from .slot_locks import claimed_slots
from .worker import Worker, WorkerFailed


@dataclass
class Options:
    workers: int = os.cpu_count() or 1
    force: bool = False
    sandboxed: bool = True
    limits: Limits = field(default_factory=Limits)
    parameters: dict = field(default_factory=lambda: {"seed": 0})
    cluster: str | None = None  # a Dask scheduler's address, or "local:N"; None: local slots


@dataclass
class Graded:
    """What `autograde` returns: one row per student, and which limits applied (in words),
    with a line per notebook whose kernel runs tests without the test guard.

    Rows are recorded.json contents, plus `"ran": False` for those already graded earlier, or
    `{"status": "error", "error": ...}` for grader errors, or `{"status": "skipped", "reason":
    ...}` for submissions without a notebook.
    """

    rows: list
    limits: str


def autograde(course, assignment, students=None, options=None, progress=True):
    """Grade `assignment` for all (or the given) students; return `Graded`."""
    options = options or Options()
    if options.sandboxed and not options.cluster:  # a cluster's workers check their own
        require_sandbox(options.workers)
    notebooks = course.notebook_names(assignment)
    unguarded = check_kernels(course, assignment, notebooks, options.sandboxed)
    late_penalty_rule(course)  # a plugin that cannot be loaded stops the run before it starts
    if not course.release_dir(assignment).is_dir():
        raise CourseError(f"{course.release_dir(assignment)} does not exist: run "
                          f"`course generate {assignment}` (students get only released files)")
    rows, todo = [], []
    excluded = excluded_students(course)
    for submission in find_submissions(course, assignment, students):
        if submission.student in excluded:  # c.CourseDirectory.student_id_exclude
            continue
        if not submission.has_notebooks():
            rows.append(skipped(course, submission))
            continue
        ledger = Ledger(course, assignment, submission.student)
        if options.force:
            ledger.forget()
        if ledger.is_recorded(submission.fingerprint):
            rows.append({**ledger.recorded(), "ran": False})
        else:
            todo.append((submission, ledger))

    to_execute = sum(ledger.outcome(submission.fingerprint) is None for submission, ledger in todo)
    with _pool(course, assignment, options, to_execute) as pool, tqdm(
        total=len(todo), unit="submission", disable=not progress, file=sys.stderr
    ) as bar:
        running = {}
        for submission, ledger in todo:
            outcome = ledger.outcome(submission.fingerprint)
            if outcome is None:
                prepared = prepare(course, submission, notebooks, ledger)
                if prepared["runnable"]:
                    job = _job(course, submission, ledger, prepared, options)
                    future = pool.submit(job)
                    running[future] = (submission, ledger)
                    continue
                outcome = {"notebooks": []}
            rows.append(_record(course, submission, ledger, outcome))
            bar.update()
        for future in as_completed(running):
            submission, ledger = running[future]
            try:
                rows.append(_record(course, submission, ledger, future.result()))
            except GraderError as error:
                ledger.save_error(submission.fingerprint, str(error))
                rows.append({"student": submission.student, "status": "error",
                             "error": str(error)})
            bar.update()
    kind = [sandbox_kind()] if options.sandboxed and not options.cluster else []
    return Graded(sorted(rows, key=lambda row: row["student"]),
                  "\n".join([*kind, pool.description, *unguarded]))


def skipped(course, submission):
    """The row of a submission without a notebook, which nbgrader skips too."""
    folder = submission.directory.relative_to(course.root)
    return {"student": submission.student, "status": "skipped",
            "reason": f"no notebook in {folder}: nothing recorded"}


def _record(course, submission, ledger, outcome):
    result = record_submission(course, submission, ledger, ledger.prepared(), outcome)
    return {**result, "ran": True}


def prepare(course, submission, notebooks, ledger):
    """Check and sanitize each notebook, stage the files; save and return prepared.json.

    A notebook that is missing while others of the assignment are there is `missing` (nbgrader
    scores it 0); one that cannot be read is `unreadable`, and so are all of them when none
    is there (nbgrader stops with an error then, and leaves their grades as they were).
    """
    ledger.clear_work()
    prepared = {"fingerprint": submission.fingerprint, "runnable": [], "unreadable": {},
                "missing": {}, "tampering": {}, "notes": {}}
    for name in notebooks:
        try:
            path, renamed = locate_notebook(submission.directory, name)
        except MissingNotebook as problem:
            prepared["missing"][name] = str(problem)
            continue
        try:
            if renamed:
                prepared["notes"][name] = [["file", renamed]]
            nb = read_notebook(path)
            nb, prepared["tampering"][name] = prepare_notebook(
                nb, name, submission.assignment, course
            )
        except UnreadableNotebook as problem:
            prepared["unreadable"][name] = str(problem)
            continue
        except Exception as problem:  # nbgrader rejects its metadata
            prepared["unreadable"][name] = f"cannot be graded: {problem}"
            continue
        atomic.write_notebook(ledger.prepared_dir / f"{name}.ipynb", nb)
        prepared["runnable"].append(name)
    if len(prepared["missing"]) == len(notebooks):
        prepared["unreadable"], prepared["missing"] = prepared["missing"], {}
    _stage_files(course, submission, ledger)
    ledger.save_prepared(prepared)
    return prepared


def _stage_files(course, submission, ledger):
    """The files the sandbox gets, as nbgrader's autograde gathers them: the submission's own,
    then the assignment's released files (data files and the like, never notebooks), which
    win, except those whose student copy nbgrader_config.py keeps (exclude_overwriting).
    Files the instructor did not release (in source/ only) are never there, nor ignored ones
    (c.CourseDirectory.ignore)."""
    ledger.files_dir.mkdir(parents=True, exist_ok=True)
    for relative in submission.files():
        if not is_ignored(course, relative):
            _copy_readable(submission.directory / relative, ledger.files_dir / relative)
    kept = kept_student_files(course, submission.assignment)
    source = course.source_dir(submission.assignment)
    for relative in released_files(course, submission.assignment):
        if relative.as_posix() not in kept:
            _copy_readable(source / relative, ledger.files_dir / relative)
    for directory in [ledger.files_dir, *ledger.files_dir.rglob("*")]:
        if directory.is_dir():
            directory.chmod(0o755)


def released_files(course, assignment):
    """The assignment's files other than notebooks that students were given: those of
    source/ that `course generate` put in release/, relative to the assignment's folder."""
    source, release = course.source_dir(assignment), course.release_dir(assignment)
    found = []
    for path in sorted(release.rglob("*")):
        relative = path.relative_to(release)
        if (path.is_file() and path.suffix != ".ipynb" and not is_ignored(course, relative)
                and (source / relative).is_file()):
            found.append(relative)
    return found


def _copy_readable(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o644)


def _job(course, submission, ledger, prepared, options):
    return {
        "student": submission.student,
        "notebooks": prepared["runnable"],
        "prepared_dir": str(ledger.prepared_dir),
        "files_dir": str(ledger.files_dir),
        "executed_dir": str(ledger.executed_dir),
        "limits": options.limits.to_dict(),
        "parameters": options.parameters,
        "sandboxed": options.sandboxed,
        "timeout_error": timeout_error(course),
    }


@contextmanager
def _pool(course, assignment, options, jobs):
    """Where `jobs` jobs (at most) will execute: a Dask cluster's workers (`options.cluster`),
    or this machine's slots, each with its cgroup and its worker process. No more slots than
    jobs are opened, and their workers start at once, while the submissions are prepared."""
    if options.cluster:
        with ClusterPool(options.cluster, options.sandboxed) as pool:
            yield pool
        return
    count = max(1, min(options.workers, jobs))
    with SlotCgroups(count, options.limits) as cgroups, _workers(
        count, cgroups.slots, course.state_dir(assignment), start=jobs > 0
    ) as workers, ThreadPoolExecutor(count) as threads:
        yield LocalPool(threads, workers, cgroups.description)


@dataclass
class LocalPool:
    """This machine's slots: `submit(job)` runs the job in an idle slot's worker process and
    returns a future of its outcome; `description` says which limits apply."""

    threads: ThreadPoolExecutor
    workers: queue.Queue
    description: str

    def submit(self, job):
        return self.threads.submit(_execute, job, self.workers)


@contextmanager
def _workers(count, cgroups, log_dir, start):
    """A queue of idle slot workers, each with a sandbox uid claimed from the machine
    (`slot_locks`) and its slot's cgroup if any, their processes started now if `start`;
    all stopped at the end."""
    log_dir.mkdir(parents=True, exist_ok=True)
    with claimed_slots(count) as slots:
        workers = [Worker(slot, log_dir / f"worker-slot{i}.log", cgroups[i] if cgroups else None)
                   for i, slot in enumerate(slots)]
        idle = queue.Queue()
        try:
            for worker in workers:
                if start:
                    worker.start()
                idle.put(worker)
            yield idle
        finally:
            for worker in workers:
                worker.stop()


def _execute(job, workers):
    """Run a job in an idle slot's worker; return its outcome.json (pool thread)."""
    worker = workers.get()
    try:
        job_path = os.path.join(job["prepared_dir"], "job.json")
        log_path = os.path.join(job["prepared_dir"], "worker.log")
        cgroup = worker.cgroup.to_json() if worker.cgroup else None
        atomic.write_json(job_path, {**job, "slot": worker.slot.index, "cgroup": cgroup,
                                     "log": log_path})
        try:
            worker.run(job_path, log_path, timeout=time_limit(job))
        except WorkerFailed as failure:
            raise GraderError(str(failure)) from None
    finally:
        workers.put(worker)
    outcome = atomic.read_json(os.path.join(job["executed_dir"], "outcome.json"))
    if outcome is None:
        raise GraderError(f"the worker wrote no outcome (worker log: {log_path})")
    return outcome
