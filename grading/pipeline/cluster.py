"""Grading on a Dask cluster: `course autograde A --cluster ADDRESS`.

The runner checks, prepares and records submissions as always; only where they execute
changes. `ClusterPool` stands in for the local pool of slots: `submit(job)` sends the job's
prepared notebooks and staged files, as bytes (`parcel`), to a worker of a `dask.distributed`
cluster, which executes them in a sandbox of its own (`cluster_task.execute_parcel`). When the
executed files come back they are written into the submission's ledger, outcome.json last,
exactly where a local worker would have written them. The gradebook and the ledger never leave
this process, so sqlite still sees one writer and a killed run resumes as before.

A Dask worker that dies mid-task loses no grade: the scheduler runs the task again on another
worker, up to its `allowed-failures` setting (3 by default), then gives up with KilledWorker,
which is recorded as a grader error, with its reason, and graded again by the next run. A
result is recorded once, when it first arrives, so a task that ran twice counts once.

ADDRESS is the scheduler of a running cluster (`tcp://10.0.0.5:8786`); `local:N` starts a
LocalCluster of N worker processes on this machine, one task at a time each.
"""

import concurrent.futures
import json
import uuid
from pathlib import Path

from .. import atomic
from ..course import CourseError
from .cluster_task import execute_parcel, sandbox_problem
from .job import GraderError, time_limit
from .parcel import pack, safe_relative
from .sandbox import SandboxUnavailable

CONNECT_SECONDS = 5
LOCAL = "local:"
SCHEMES = ("tcp", "tls", "ws", "wss")  # Dask's transports that take a HOST:PORT address
SETTINGS = ("student", "notebooks", "limits", "parameters", "sandboxed",  # a job minus paths
            "timeout_error")


class ClusterUnreachable(CourseError):
    """No Dask scheduler answered at the address given; the message names it."""


def check_address(address):
    """Raise ValueError, saying what is expected, unless `address` is 'local:N' or a
    scheduler's address (checked before connecting: Dask takes seconds to reject a bad one)."""
    if address.startswith(LOCAL):
        count = address[len(LOCAL):]
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"'{address}': expected local:N, N workers (1 or more)")
        return
    from distributed.comm import get_address_host_port, parse_address

    scheme, _ = parse_address(address)
    if scheme not in SCHEMES:
        raise ValueError(f"'{address}': expected a scheduler's address, tcp://HOST:PORT "
                         f"(or {', '.join(s + '://' for s in SCHEMES[1:])}), or local:N")
    get_address_host_port(address)  # ValueError: no port, or not a host


def local_workers(address):
    """N for 'local:N', else None (the address of a running scheduler)."""
    return int(address[len(LOCAL):]) if address.startswith(LOCAL) else None


def connect(address):
    """A Dask client for `address` (see the module docstring), or ClusterUnreachable."""
    from distributed import Client  # slow to import: only when a cluster is asked for

    workers = local_workers(address)
    if workers:
        return Client(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0")
    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ClusterUnreachable(
            f"cannot reach the Dask scheduler at {address}: {error}. Is `dask scheduler` "
            "running there, and reachable from this machine?"
        ) from None


class ClusterPool:
    """The workers of a Dask cluster, used like the local pool: `submit(job)` returns a
    `concurrent.futures.Future` of the job's outcome, or of a GraderError."""

    def __init__(self, address, sandboxed):
        self.address = address
        self.sandboxed = sandboxed
        self.client = None
        self.running = set()  # Dask futures not finished yet: holding them keeps them alive
        self.limits_applied = set()  # as each worker reported them

    def __enter__(self):
        self.client = connect(self.address)
        try:
            if self.sandboxed:
                self._refuse_unsandboxed_workers()
        except BaseException:
            self.client.close()
            raise
        return self

    def __exit__(self, *exc):
        self.client.close()

    def submit(self, job):
        parcel = {"notebooks": pack(job["prepared_dir"], [f"{n}.ipynb" for n in job["notebooks"]]),
                  "files": pack(job["files_dir"])}
        settings = {key: job[key] for key in SETTINGS}
        future = self.client.submit(execute_parcel, parcel, settings, time_limit(job),
                                    key=f"grade-{job['student']}-{uuid.uuid4().hex}")
        outcome = concurrent.futures.Future()
        self.running.add(future)
        future.add_done_callback(lambda finished: self._finished(finished, job, outcome))
        return outcome

    @property
    def description(self):
        """Where the run executed, and which limits the workers applied (in words)."""
        count = local_workers(self.address)
        where = (f"a local Dask cluster of {count} workers" if count
                 else f"the Dask cluster at {self.address}")
        return f"executed on {where}: " + ("; ".join(sorted(self.limits_applied)) or "nothing")

    def _refuse_unsandboxed_workers(self):
        """Refuse to start, as the local pool does, if a worker present cannot sandbox, or
        cannot run the grader at all (`grading` is not installed there, say)."""
        problems = {}
        for address, answer in self.client.run(sandbox_problem, on_error="return").items():
            if isinstance(answer, OSError):  # the worker left meanwhile: it gets no tasks
                continue
            if isinstance(answer, Exception):
                answer = f"the grader cannot run there: {type(answer).__name__}: {answer}"
            if answer:
                problems[address] = answer
        if problems:
            address, problem = sorted(problems.items())[0]
            others = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
            raise SandboxUnavailable(f"{problem} (on Dask worker {address}{others})")

    def _finished(self, future, job, outcome):
        """Dask's callback thread: write the executed files, then settle `outcome`."""
        self.running.discard(future)
        try:
            outcome.set_result(self._collect(future, Path(job["executed_dir"])))
        except Exception as error:  # GraderError, or this machine failed to write the files
            outcome.set_exception(error)

    def _collect(self, future, executed_dir):
        try:
            result = future.result()
        except Exception as error:  # the task's own error, KilledWorker, or the task cancelled
            reason = " ".join(str(error).split())  # Dask's messages span lines
            raise GraderError(f"{type(error).__name__}: {reason}") from None
        executed = result["executed"]
        outcome = executed.pop("outcome.json", None)
        if outcome is None:
            raise GraderError("the Dask worker returned no outcome.json")
        for name, data in executed.items():
            atomic.write_bytes(executed_dir / safe_relative(name), data)
        atomic.write_bytes(executed_dir / "outcome.json", outcome)  # last: execution is done
        self.limits_applied.add(result["limits"])
        return json.loads(outcome)
