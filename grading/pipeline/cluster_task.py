"""The Dask worker's side of grading on a cluster: one submission's execution, as a task.

`execute_parcel` is what `course autograde --cluster` submits (see `cluster`). It runs on a
Dask worker, on a machine that may share nothing with the course directory: it unpacks the
submission's parcel (`parcel`) into a private temporary directory and hands it to a slot's
long-lived worker process (`worker.Worker`), which runs `execute.run_job` exactly as it does
for the local pool: the same sandbox, limits, cgroup and time limits. The executed notebooks,
kernel logs and outcome.json go back as data.

Slots on a shared machine. Several Dask workers may run on one machine (`dask worker
--nworkers 4`, two Slurm jobs on one node), each with several threads, beside a local
`course autograde` run, and sandboxes that run at the same time must never share a uid. So a
task claims its slot's uid from the machine (`slot_locks`); a killed worker's slots come free
as it dies. A Dask worker process keeps the slots it claimed for its later tasks, each with
its grading worker process and its cgroup, named `<pid>-slot<N>` after the Dask worker's own
pid so that two Dask workers never share one.
"""

import atexit
import os
import queue
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from .. import atomic
from .cgroup import SlotCgroup, group_parents, remove_leftovers
from .parcel import pack, unpack
from .sandbox import Limits, SandboxUnavailable, require_sandbox
from .slot_locks import claim_slot
from .worker import Worker, WorkerFailed


def execute_parcel(parcel, job, seconds):
    """Dask task: execute one submission's notebooks here; return the executed files as data.

    `parcel` is `{"notebooks": {name: bytes}, "files": {path: bytes}}`, `job` the settings of
    the runner's job (student, notebooks, limits, parameters, sandboxed, timeout error) without
    its paths, `seconds` the time the whole job may take. Raises WorkerFailed or
    SandboxUnavailable, with this Dask worker's address in the message, when the submission
    could not be executed.
    """
    with _borrowed_slot() as claimed, tempfile.TemporaryDirectory(dir=claimed.work_dir) as tmp:
        log = claimed.work_dir / f"{job['student']}-{Path(tmp).name}.log"
        local = {**job, "prepared_dir": f"{tmp}/prepared", "files_dir": f"{tmp}/files",
                 "executed_dir": f"{tmp}/executed", "slot": claimed.slot.index, "log": str(log)}
        try:
            if job["sandboxed"]:
                claimed.check_sandbox()
            local["cgroup"] = claimed.apply_limits(Limits(**job["limits"]))
            unpack(parcel["notebooks"], local["prepared_dir"])
            unpack(parcel["files"], local["files_dir"])
            atomic.write_json(f"{tmp}/job.json", local)
            claimed.worker.run(f"{tmp}/job.json", str(log), timeout=seconds)
        except (WorkerFailed, SandboxUnavailable) as failure:
            raise type(failure)(f"{failure} (on Dask worker {_dask_worker().address})") from None
        log.unlink(missing_ok=True)  # kept only when the job failed
        return {"executed": pack(local["executed_dir"]), "limits": claimed.limits_applied}


def sandbox_problem():
    """Run on each Dask worker before grading starts: why it cannot sandbox, or None."""
    try:
        require_sandbox(1)
    except SandboxUnavailable as problem:
        return str(problem)
    return None


class ClaimedSlot:
    """A slot this Dask worker process holds on its machine: the lock that reserves its uid,
    the grading worker process that runs its jobs, and its cgroup."""

    def __init__(self, slot, lock):
        self.slot = slot
        self.lock = lock  # the open lock file: closing it, or dying, frees the slot
        # jobs and logs, in the Dask worker's own directory, which Dask removes with it
        self.work_dir = Path(_dask_worker().local_directory) / "grading"
        self.work_dir.mkdir(exist_ok=True)
        self.worker = Worker(slot, self.work_dir / f"worker-slot{slot.index}.log")
        self.cgroup = None  # made by the first job (`apply_limits`)
        self.limits_applied = ""  # in words, for the run's summary
        self.sandbox_checked = False

    def check_sandbox(self):
        """Raise SandboxUnavailable unless bwrap can jail code here as this slot's uid."""
        if not self.sandbox_checked:
            require_sandbox(self.slot.index + 1)
            self.sandbox_checked = True

    def apply_limits(self, limits):
        """(Re)make the slot's cgroup with this job's limits; return it for the job file, or
        None where cgroups are not available (per-process limits only, as in the local pool)."""
        try:
            self.cgroup = SlotCgroup(f"{os.getpid()}-slot{self.slot.index}", group_parents())
            self.cgroup.create(limits)
        except OSError as error:
            self.worker.cgroup = None
            self.limits_applied = f"limits per process only: no cgroups ({error})"
            return None
        self.worker.cgroup = self.cgroup  # a hung worker's kernel is killed with it
        self.limits_applied = (f"limits per sandbox: {limits.sandbox_memory_bytes // 2**20} MiB "
                               f"of memory, {limits.processes} processes ({self.cgroup.kind})")
        return self.cgroup.to_json()

    def release(self):
        self.worker.stop()
        if self.cgroup:
            self.cgroup.remove()
        self.lock.close()


_idle = queue.SimpleQueue()  # slots this process holds that no task is using
_held = []  # every slot this process holds
_claiming = threading.Lock()


@contextmanager
def _borrowed_slot():
    """One of this process's idle slots, or a newly claimed one, for the task's duration."""
    try:
        slot = _idle.get_nowait()
    except queue.Empty:
        slot = _claim_slot()
    try:
        yield slot
    finally:
        _idle.put(slot)


def _claim_slot():
    """Claim this machine's lowest free sandbox uid (`slot_locks`) as a slot of this process."""
    with _claiming:
        if not _held:  # this process's first slot
            _remove_leftover_cgroups()
            atexit.register(_release_all)
        try:
            slot, lock = claim_slot()
        except SandboxUnavailable as problem:
            raise WorkerFailed(f"{problem}; on Dask worker {_dask_worker().address}") from None
        _held.append(ClaimedSlot(slot, lock))
        return _held[-1]


def _remove_leftover_cgroups():
    """Remove the cgroups of Dask workers that were killed (none where cgroups are missing)."""
    try:
        remove_leftovers(group_parents())
    except OSError:
        pass  # each job's `apply_limits` says why in the run's summary


def _release_all():
    for slot in _held:
        slot.release()


def _dask_worker():
    from distributed import get_worker  # loaded already: this runs in a Dask worker

    return get_worker()
