"""Limits for a sandbox as a whole: one cgroup (version 1) per worker slot.

`prlimit` limits each process on its own: a sandbox of 64 processes of 2 GiB each could still
take 128 GiB. A control group counts every process in it together. Each slot gets one group in
the `memory` hierarchy (all its processes' memory, tmpfs files included, capped at
`Limits.sandbox_memory_bytes`) and one in `pids` (at most `Limits.processes` tasks). When the
memory is exhausted, the kernel's out-of-memory killer kills a process of that slot only, and
counts it in the group's `memory.oom_control`; `execute` reads that count to report it.

The sandboxed command joins its slot's groups before it starts bubblewrap (`join_command`),
so every process it ever starts is inside them. Groups are named after the `course autograde`
process that made them (`<pid>-slot<N>`): one run never touches another's, and the groups of
a run that was killed are removed by the next.

Where the groups go depends on who grades (`group_parents`): root makes them under
`course-grading/` in each hierarchy; an ordinary user makes them inside its own groups (read
from `/proc/self/cgroup`), where an administrator has delegated them to it (made them its
own). Where neither is possible, grading goes on with per-process limits only and says so.
"""

import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from .sandbox import as_root

ROOT = Path("/sys/fs/cgroup")
PARENT = "course-grading"
CONTROLLERS = ("memory", "pids")
GROUP_NAME = re.compile(r"\d+-slot\d+")  # `<pid of the run>-slot<N>`


@dataclass(frozen=True)
class SlotCgroup:
    """The memory and pids groups of one slot of one run, inside `parents` (a directory per
    controller, in the order of CONTROLLERS; empty: root's `course-grading` groups)."""

    name: str
    parents: tuple = ()

    def path(self, controller):
        if self.parents:
            return Path(self.parents[CONTROLLERS.index(controller)]) / self.name
        return ROOT / controller / PARENT / self.name

    def to_json(self):
        """What a job file holds to find the groups again (`SlotCgroup.from_json`)."""
        return [self.name, [str(parent) for parent in self.parents]]

    @classmethod
    def from_json(cls, value):
        name, parents = value
        return cls(name, tuple(parents))

    def create(self, limits):
        """Make both groups (again, if left over) with `limits` applied."""
        for controller in CONTROLLERS:  # the hierarchy itself must be mounted already
            if not self.parents:
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
        slots = []
        try:
            parents = group_parents()
            remove_leftovers(parents)
            slots = [SlotCgroup(f"{os.getpid()}-slot{i}", parents) for i in range(self.workers)]
            for slot in slots:
                slot.create(self.limits)
        except OSError as error:
            for slot in slots:
                slot.remove()
            self.description = per_process_description(self.limits, error)
            return self
        self.slots = slots
        mib = self.limits.sandbox_memory_bytes // 2**20
        self.description = (f"limits per sandbox: {mib} MiB of memory, {self.limits.processes} "
                            f"processes ({'cgroup' if as_root() else 'cgroup delegated to you'})")
        return self

    def __exit__(self, *exc):
        for slot in self.slots or []:
            slot.remove()


def group_parents():
    """Where this run's groups go: () for root's `course-grading` groups; for an ordinary
    user, its own memory and pids groups. Raises OSError, saying why, if it cannot make groups
    there (no cgroup v1 hierarchy, or not delegated to it)."""
    if as_root():
        return ()
    own = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in set(controllers.split(",")) & set(CONTROLLERS):
            own[controller] = ROOT / controller / path.lstrip("/")
    for controller in CONTROLLERS:
        if controller not in own or not own[controller].is_dir():
            raise FileNotFoundError(f"no cgroup v1 {controller} hierarchy at {ROOT}")
        if not os.access(own[controller] / "cgroup.procs", os.W_OK):
            raise PermissionError(f"your {controller} cgroup {own[controller]} is not delegated "
                                  "to you")
    return tuple(str(own[controller]) for controller in CONTROLLERS)


def per_process_description(limits, error):
    """The run's summary line when `error` stopped cgroups from being made."""
    reason = f"{error.strerror}: {error.filename}" if error.filename else str(error)
    if as_root():
        return f"limits per process only: no cgroups ({reason})"
    return (f"limits per process only: no cgroup ({reason}); a sandbox may still start "
            f"{limits.processes} processes (counted in its user namespace), each using "
            f"{limits.memory_bytes // 2**20} MiB of memory")


def remove_leftovers(parents=()):
    """Remove the groups, under `parents`, of runs whose `course autograde` process is gone."""
    for controller in CONTROLLERS:
        parent = SlotCgroup("", parents).path(controller)
        if not parent.is_dir():
            continue
        for group in parent.iterdir():
            owner = group.name.split("-")[0]
            if (group.is_dir() and GROUP_NAME.fullmatch(group.name)
                    and not Path(f"/proc/{owner}").exists()):
                SlotCgroup(group.name, parents).remove()


def _pids(path):
    try:
        return [int(pid) for pid in (path / "cgroup.procs").read_text().split()]
    except FileNotFoundError:
        return []


def _write(path, value):
    path.write_text(str(value))

