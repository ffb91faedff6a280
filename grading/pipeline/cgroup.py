"""Limits for a sandbox as a whole: one cgroup (version 1) per worker slot.

`prlimit` limits each process on its own: a sandbox of 64 processes of 2 GiB each could still
take 128 GiB. A control group counts every process in it together. Each slot gets one group in
the `memory` hierarchy (all its processes' memory, tmpfs files included, capped at
`Limits.sandbox_memory_bytes`) and one in `pids` (at most `Limits.processes` tasks). When the
memory is exhausted, the kernel's out-of-memory killer kills a process of that slot only, and
counts it in the group's `memory.oom_control`; `execute` reads that count to report it.

The sandboxed command joins its slot's groups before it starts bubblewrap (`join_command`),
so every process it ever starts is inside them. Groups are named after the `course autograde`
process that made them (`<pid>-slot<N>` under `course-grading/`): one run never touches
another's, and the groups of a run that was killed are removed by the next.

Where cgroups cannot be created (no cgroup v1 hierarchies, or not root), grading goes on
with per-process limits only and says so.
"""

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PARENT = "course-grading"
CONTROLLERS = ("memory", "pids")


@dataclass(frozen=True)
class SlotCgroup:
    """The memory and pids groups of one slot of one run."""

    name: str

    def path(self, controller):
        return ROOT / controller / PARENT / self.name

    def create(self, limits):
        """Make both groups (again, if left over) with `limits` applied."""
        for controller in CONTROLLERS:  # the hierarchy itself must be mounted already
            self.path(controller).parent.mkdir(exist_ok=True)
            self.path(controller).mkdir(exist_ok=True)
        memory = self.path("memory")
        _write(memory / "memory.limit_in_bytes", limits.sandbox_memory_bytes)
        if (memory / "memory.memsw.limit_in_bytes").exists():  # swap accounting: no swapping
            _write(memory / "memory.memsw.limit_in_bytes", limits.sandbox_memory_bytes)
        _write(self.path("pids") / "pids.max", limits.processes)

    def join_command(self):
        """The prefix that moves a command into both groups, then executes it."""
        procs = [str(self.path(c) / "cgroup.procs") for c in CONTROLLERS]
        join = 'echo $$ > "$1" && echo $$ > "$2" || exit 125; shift 2; exec "$@"'
        return ["sh", "-c", join, "join-cgroups", *procs]

    def oom_kills(self):
        """How many processes of this slot the out-of-memory killer has killed so far."""
        text = (self.path("memory") / "memory.oom_control").read_text()
        counts = dict(line.split() for line in text.splitlines())
        return int(counts.get("oom_kill", 0))

    def kill_all(self):
        """SIGKILL every process still in the slot's groups (none should be left)."""
        for controller in CONTROLLERS:
            for pid in _pids(self.path(controller)):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def remove(self):
        """Kill what is left and delete both groups (an emptied group takes a moment)."""
        for controller in CONTROLLERS:
            path = self.path(controller)
            for _ in range(50):
                self.kill_all()
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # busy: killed processes are not reaped yet
                    time.sleep(0.1)


class SlotCgroups:
    """The groups of every slot of this run: `with SlotCgroups(workers, limits) as groups`.

    `groups.slots` is a list of SlotCgroup, one per slot index, or None when cgroups are not
    available; `groups.description` says which limits apply, for the run's summary.
    """

    def __init__(self, workers, limits):
        self.workers = workers
        self.limits = limits
        self.slots = None
        self.description = ""

    def __enter__(self):
        remove_leftovers()
        slots = [SlotCgroup(f"{os.getpid()}-slot{i}") for i in range(self.workers)]
        try:
            for slot in slots:
                slot.create(self.limits)
        except OSError as error:
            for slot in slots:
                slot.remove()
            reason = f"{error.strerror}: {error.filename}" if error.filename else str(error)
            self.description = f"limits per process only: no cgroups ({reason})"
            return self
        self.slots = slots
        mib = self.limits.sandbox_memory_bytes // 2**20
        self.description = (f"limits per sandbox: {mib} MiB of memory, "
                            f"{self.limits.processes} processes (cgroup)")
        return self

    def __exit__(self, *exc):
        for slot in self.slots or []:
            slot.remove()


def remove_leftovers():
    """Remove the groups of runs whose `course autograde` process is gone."""
    for controller in CONTROLLERS:
        parent = ROOT / controller / PARENT
        if not parent.is_dir():
            continue
        for group in parent.iterdir():
            owner = group.name.split("-")[0]
            if group.is_dir() and owner.isdigit() and not Path(f"/proc/{owner}").exists():
                SlotCgroup(group.name).remove()


def _pids(path):
    try:
        return [int(pid) for pid in (path / "cgroup.procs").read_text().split()]
    except FileNotFoundError:
        return []


def _write(path, value):
    path.write_text(str(value))

