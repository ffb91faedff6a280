"""Grading on a Dask cluster: a real `dask scheduler` and two `dask worker` processes on
127.0.0.1, started here as subprocesses.

The sample class, and two students who try the jail and the limits, are graded on the
cluster exactly as on the local pool, each worker's sandboxes under uids of their own. A
worker killed mid-run loses no grade and repeats none: the scheduler reruns its submission
elsewhere or, told not to, the submission is a grader error that the next run grades. An
unreachable scheduler is a quick, clear error that names it.
"""

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from grading_samples import (
    ASSIGNMENT,
    NOTEBOOK,
    SAMPLE_CLASS,
    SOLVED,
    make_submission,
    write_submission,
)
from grading_testkit import course_cli, needs_sandbox

from grading.course import Course
from grading.pipeline.ledger import Ledger, read_journal
from grading.pipeline.sandbox import FIRST_UID as LOCAL_FIRST_UID
from grading.pipeline.slot_locks import SLOT_LOCKS

FIRST_UID = LOCAL_FIRST_UID + 100  # the Dask workers' sandbox uids, apart from the local pool's
DASK = Path(sys.executable).parent / "dask"


class DaskCluster:
    """A scheduler and two workers (one thread each, no nanny: killing one kills it).
    `allowed_failures`: how often the scheduler reruns a task whose worker died."""

    def __init__(self, directory, allowed_failures):
        self.directory = directory
        scheduler_file = directory / "scheduler.json"
        self.scheduler = self._start(
            "scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", scheduler_file,
            env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(allowed_failures)},
        )
        self.address = json.loads(_wait_for_file(scheduler_file).read_text())["address"]
        self.workers = [
            self._start(f"worker{i}", "worker", "--scheduler-file", scheduler_file, "--host",
                        "127.0.0.1", "--nthreads", "1", "--no-nanny", "--no-dashboard")
            for i in range(2)
        ]
        from distributed import Client

        with Client(self.address, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)

    def _start(self, log_name, *args, env=None):
        env = {**os.environ, "COURSE_SANDBOX_FIRST_UID": str(FIRST_UID), **(env or {})}
        with open(self.directory / f"{log_name}.log", "wb") as log:
            return subprocess.Popen([str(DASK), *map(str, args)], stdout=log, stderr=log,
                                    env=env)

    def stop(self):
        """Workers first: a worker whose scheduler is gone waits for it before it exits."""
        for group in (self.workers, [self.scheduler]):
            for process in group:
                process.terminate()
            for process in group:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture
def start_cluster(tmp_path):
    """Start a DaskCluster (allowed_failures=3 is Dask's default); stop it after the test."""
    clusters = []

    def start(allowed_failures=3):
        clusters.append(DaskCluster(tmp_path, allowed_failures))
        return clusters[-1]

    yield start
    for cluster in clusters:
        cluster.stop()


def _wait_for_file(path, seconds=60):
    deadline = time.monotonic() + seconds
    while not path.exists() or not path.read_text().strip():
        assert time.monotonic() < deadline, f"{path} was not written in {seconds} s"
        time.sleep(0.1)
    return path


def sandboxed_descendants(ancestor):
    """{pid: uid} of the processes below `ancestor` that run as a Dask worker's sandbox uid."""
    parents, uids = {}, {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        pid = int(status.parent.name)
        parents[pid] = int(fields["PPid"])
        uids[pid] = int(fields["Uid"].split()[0])
    found = {}
    for pid, uid in uids.items():
        if FIRST_UID <= uid < FIRST_UID + 100:
            above = parents.get(pid)
            while above and above != ancestor:
                above = parents.get(above)
            if above == ancestor:
                found[pid] = uid
    return found


class UidWatch:
    """Notes, while it runs, which sandbox uids each worker's processes run as."""

    def __init__(self, workers):
        self.seen = {worker.pid: set() for worker in workers}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch)

    def _watch(self):
        while not self.done.wait(0.1):
            for pid, uids in self.seen.items():
                uids.update(sandboxed_descendants(pid).values())

    def __enter__(self):
        self.thread.start()
        return self.seen

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()


def sample_class(release_nb):
    """The sample class's notebooks, by student."""
    return {student: make_submission(release_nb, answers)
            for student, (answers, _) in SAMPLE_CLASS.items()}


def collected_course(generated_course, root, notebooks):
    """A copy of the generated course with `notebooks` ({student: notebook}) collected."""
    course = shutil.copytree(generated_course, root / "course")
    for student, nb in notebooks.items():
        write_submission(root / "inbox", student, nb)
    assert course_cli(course, "collect", ASSIGNMENT, str(root / "inbox")) == 0
    return course


def recorded(course, student):
    """A student's recorded result and the autograded cells' outputs. Not compared: timing,
    and the fingerprint, which covers the timestamp `collect` wrote."""
    result = Ledger(Course(course), ASSIGNMENT, student).recorded()
    del result["seconds"], result["fingerprint"]
    nb = nbformat.read(Path(course) / "autograded" / student / ASSIGNMENT / NOTEBOOK, 4)
    return result, [cell.get("outputs") for cell in nb.cells]


def gradebook_grades(course):
    """{(student, grade id): automatic score}, from nbgrader's gradebook."""
    with Course(course).gradebook() as gb:
        return {(grade.notebook.student.id, grade.name): grade.auto_score
                for submission in gb.find_assignment(ASSIGNMENT).submissions
                for notebook in submission.notebooks for grade in notebook.grades}


def graded_students(course):
    """Each student's score in the gradebook, and the students of the journal, in order."""
    with Course(course).gradebook() as gb:
        scores = {s.student.id: s.score for s in gb.find_assignment(ASSIGNMENT).submissions}
    return scores, sorted(entry["student"] for entry in read_journal(Course(course), ASSIGNMENT))


def autograde_on(cluster, course):
    """`course autograde` on `cluster`, as a process of its own, started."""
    return subprocess.Popen(
        [sys.executable, "-m", "grading.cli", "--course", str(course), "autograde", ASSIGNMENT,
         "--cluster", cluster.address, "--timeout", "10", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def running_kernels(worker):
    """{pid: uid} of `worker`'s sandboxed processes, if one of them is a kernel."""
    found = sandboxed_descendants(worker.pid)
    for pid in found:
        try:
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return found
        except OSError:
            continue
    return {}


def kill_mid_notebook(worker, run):
    """SIGKILL `worker` while one of its sandboxed kernels runs; return its sandboxed
    processes."""
    deadline = time.monotonic() + 180
    while not (kernels := running_kernels(worker)):
        assert time.monotonic() < deadline and run.poll() is None, "the worker got no work"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    return kernels


@pytest.mark.slow
@needs_sandbox
def test_cluster_grades_as_the_local_pool_does_in_the_same_sandbox(
    generated_course, release_nb, tmp_path, start_cluster, capsys
):
    cluster = start_cluster()
    secrets = [str(generated_course / "gradebook.db"), "/etc/shadow"]
    students = {**sample_class(release_nb), **{  # and two who try the jail and the limits
        "snoop": make_submission(release_nb, SOLVED, [
            f"for path in {secrets!r}:\n    try:\n        open(path).read()\n"
            "        print('READ', path)\n    except OSError as e:\n"
            "        print('denied', type(e).__name__)"]),
        "forkmem": make_submission(release_nb, SOLVED, [  # 2 GiB together, in 5 processes
            "import os, time\nchildren = []\nfor _ in range(5):\n    pid = os.fork()\n"
            "    if pid == 0:\n        blob = b'x' * (400 * 2 ** 20)\n        time.sleep(1)\n"
            "        os._exit(0)\n    children.append(pid)\n"
            "for pid in children:\n    os.waitpid(pid, 0)"]),
    }}
    on_pool = collected_course(generated_course, tmp_path / "pool", students)
    on_cluster = collected_course(generated_course, tmp_path / "dask", students)
    limits = ["--timeout", "10", "--sandbox-memory", "1024", "--no-progress"]
    # 1: forkmem's submission fails (out of memory), as nbgrader autograde exits then
    assert course_cli(on_pool, "autograde", ASSIGNMENT, "--workers", "2", *limits) == 1
    with UidWatch(cluster.workers) as uids_by_worker:
        assert course_cli(on_cluster, "autograde", ASSIGNMENT, "--cluster", cluster.address,
                          *limits) == 1

    for student in students:
        assert recorded(on_cluster, student) == recorded(on_pool, student)
    for student, (_, total) in SAMPLE_CLASS.items():
        assert recorded(on_cluster, student)[0]["score"] == total
    snoop, snoop_outputs = recorded(on_cluster, "snoop")
    assert snoop["score"] == 7.0
    assert "READ" not in str(snoop_outputs) and str(snoop_outputs).count("denied") == 2
    forkmem, _ = recorded(on_cluster, "forkmem")
    assert "the sandbox ran out of memory (1024 MiB" in forkmem["failures"][0]
    assert gradebook_grades(on_cluster) == gradebook_grades(on_pool)
    first, second = uids_by_worker.values()
    assert first and second and not first & second  # both graded, never as the same uid
    assert all(uid >= FIRST_UID for uid in first | second)

    capsys.readouterr()
    assert course_cli(on_cluster, "autograde", ASSIGNMENT, "--cluster", cluster.address,
                      "--no-progress") == 1  # forkmem's failure still stands
    assert capsys.readouterr().out.count(" (earlier)") == len(students)
    assert graded_students(on_cluster)[1] == sorted(students)  # nothing graded twice


@pytest.mark.slow
@needs_sandbox
def test_a_worker_killed_mid_run_loses_no_grade_and_repeats_none(
    generated_course, release_nb, tmp_path, start_cluster
):
    cluster = start_cluster()
    course = collected_course(generated_course, tmp_path, sample_class(release_nb))
    run = autograde_on(cluster, course)
    victim = cluster.workers[0]
    kernels = kill_mid_notebook(victim, run)
    out, err = run.communicate(timeout=300)

    assert run.returncode == 0, out + err  # its task ran again on the other worker
    expected = {student: total for student, (_, total) in SAMPLE_CLASS.items()}
    assert graded_students(course) == (expected, sorted(expected))
    deadline = time.monotonic() + 10  # the killed worker's kernels die with it
    while any(Path(f"/proc/{pid}").exists() for pid in kernels) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in kernels)
    for uid in set(kernels.values()):  # and its slot is free for another worker
        with open(SLOT_LOCKS / f"uid-{uid}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)


@pytest.mark.slow
@needs_sandbox
def test_when_dask_gives_up_the_submission_is_a_grader_error_graded_next_run(
    generated_course, release_nb, tmp_path, start_cluster, capsys
):
    cluster = start_cluster(allowed_failures=0)  # a task whose worker dies is not rerun
    course = collected_course(generated_course, tmp_path, sample_class(release_nb))
    run = autograde_on(cluster, course)
    kill_mid_notebook(cluster.workers[0], run)
    out, err = run.communicate(timeout=300)

    assert run.returncode == 1, out + err
    errors = [line for line in out.splitlines() if " error " in line]
    assert errors and all("KilledWorker" in line for line in errors), out + err
    lost = [line.split()[0] for line in errors]
    for student in lost:
        saved = Ledger(Course(course), ASSIGNMENT, student).error()
        assert "KilledWorker" in saved["error"] and "died" in saved["error"]
    expected = {student: total for student, (_, total) in SAMPLE_CLASS.items()}
    _, first_journal = graded_students(course)
    assert sorted(first_journal) == sorted(set(expected) - set(lost))

    capsys.readouterr()  # the next run, on a LocalCluster of this machine, grades the rest
    assert course_cli(course, "autograde", ASSIGNMENT, "--cluster", "local:2", "--timeout", "10",
                      "--no-progress") == 0
    assert graded_students(course) == (expected, sorted(expected))  # each exactly once
    assert "executed on a local Dask cluster of 2 workers" in capsys.readouterr().out


@pytest.mark.slow  # the connection's time limit
def test_an_unreachable_scheduler_is_a_clear_error_naming_it(
    generated_course, release_nb, tmp_path, capsys
):
    course = collected_course(generated_course, tmp_path,
                              {"alice": make_submission(release_nb, SOLVED)})
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    started = time.monotonic()
    assert course_cli(course, "autograde", ASSIGNMENT, "--cluster", address,
                      "--no-progress") == 2
    assert time.monotonic() - started < 30
    error = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at {address}" in error
    assert not Course(course).state_dir(ASSIGNMENT).exists()  # nothing was prepared


@pytest.mark.parametrize("address, expected", [
    ("tcp://scheduler", "missing port number"),
    ("http://scheduler:8786", "expected a scheduler's address, tcp://HOST:PORT"),
    ("local:0", "expected local:N"),
])
def test_a_malformed_address_is_refused_before_anything_runs(tmp_path, capsys, address, expected):
    with pytest.raises(SystemExit) as exited:
        course_cli(tmp_path, "autograde", ASSIGNMENT, "--cluster", address)
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "argument --cluster: " in error and expected in error
