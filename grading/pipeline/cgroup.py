"""Limits for a sandbox as a whole: one cgroup per worker slot.

`prlimit` limits each process on its own: a sandbox of 64 processes of 2 GiB each could still
take 128 GiB. A control group counts every process in it together. Each slot gets a group
with the `memory` controller (all its processes' memory, tmpfs files included, capped at
`Limits.sandbox_memory_bytes`) and the `pids` controller (at most `Limits.processes` tasks):
one group in each hierarchy with cgroup v1, one group with both in cgroup v2's unified
hierarchy. When the memory is exhausted, the kernel's out-of-memory killer kills a process of
that slot only, and counts it (`memory.oom_control` in v1, `memory.events` in v2); `execute`
reads that count to report it.

The sandboxed command joins its slot's groups before it starts bubblewrap (`join_command`),
so every process it ever starts is inside them. Groups are named after the `course autograde`
process that made them (`<pid>-slot<N>`): one run never touches another's, and the groups of
a run that was killed are removed by the next.

Where the groups go depends on who grades and on the machine (`group_parents`): root makes
them under `course-grading/`; an ordinary user makes them inside its own group (read from
`/proc/self/cgroup`) where that group is delegated to it: made its own by an administrator
(v1), or by systemd (`systemd-run --user --scope -p Delegate=yes`, v2). Where neither is
possible, grading goes on with per-process limits only and says so.
"""

import errno
import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from .sandbox import as_root, nproc_counted_per_namespace

ROOT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")
PARENT = "course-grading"
CONTROLLERS = ("memory", "pids")
GROUP_NAME = re.compile(r"\d+-(slot\d+|grader)")  # `<pid of the run>-slot<N>`, `-grader`


@dataclass(frozen=True)
class SlotCgroup:
    """The memory and pids groups of one slot of one run, inside `parents`: empty for root's
    `course-grading` groups of cgroup v1; a memory and a pids directory (v1); or the one
    directory of the unified hierarchy (cgroup v2), where one group has both controllers."""

    name: str
    parents: tuple = ()

    @property
    def unified(self):
        return len(self.parents) == 1

    @property
    def kind(self):
        """Which cgroup version holds the groups, in words for the run's summary."""
        return "cgroup v2" if self.unified else "cgroup"

    def path(self, controller):
        if self.unified:
            return Path(self.parents[0]) / self.name
        if self.parents:
            return Path(self.parents[CONTROLLERS.index(controller)]) / self.name
        return ROOT / controller / PARENT / self.name

    def directories(self):
        """The slot's group directories: one per controller (v1), or one in all (v2)."""
        return sorted({self.path(controller) for controller in CONTROLLERS})

    def to_json(self):
        """What a job file holds to find the groups again (`SlotCgroup.from_json`)."""
        return [self.name, [str(parent) for parent in self.parents]]

    @classmethod
    def from_json(cls, value):
        name, parents = value
        return cls(name, tuple(parents))

    def create(self, limits):
        """Make the groups (again, if left over) with `limits` applied."""
        for directory in self.directories():  # the hierarchy itself must be mounted already
            if not self.parents:
                directory.parent.mkdir(exist_ok=True)
            directory.mkdir(exist_ok=True)
        memory, pids = self.path("memory"), self.path("pids")
        if self.unified:
            _write(memory / "memory.max", limits.sandbox_memory_bytes)
            if (memory / "memory.swap.max").exists():  # no swapping instead of failing
                _write(memory / "memory.swap.max", 0)
        else:
            _write(memory / "memory.limit_in_bytes", limits.sandbox_memory_bytes)
            if (memory / "memory.memsw.limit_in_bytes").exists():  # the same, in v1
                _write(memory / "memory.memsw.limit_in_bytes", limits.sandbox_memory_bytes)
        _write(pids / "pids.max", limits.processes)

    def join_command(self):
        """The prefix that moves a command into the slot's groups, then executes it."""
        procs = [str(directory / "cgroup.procs") for directory in self.directories()]
        join = ('n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; '
                'n=$((n - 1)); done; exec "$@"')
        return ["sh", "-c", join, "join-cgroups", str(len(procs)), *procs]

    def oom_kills(self):
        """How many processes of this slot the out-of-memory killer has killed so far."""
        events = "memory.events" if self.unified else "memory.oom_control"
        text = (self.path("memory") / events).read_text()
        counts = dict(line.split() for line in text.splitlines())
        return int(counts.get("oom_kill", 0))

    def kill_all(self):
        """SIGKILL every process still in the slot's groups (none should be left)."""
        for directory in self.directories():
            for pid in _pids(directory):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def remove(self):
        """Kill what is left and delete the groups (an emptied group takes a moment)."""
        for directory in self.directories():
            for _ in range(50):
                self.kill_all()
                try:
                    directory.rmdir()
                    break
                except OSError as error:
                    if _gone(error):  # another process removed it first
                        break
                    time.sleep(0.1)  # busy: killed processes are not reaped yet


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
        kind = slots[0].kind if slots else "cgroup"
        self.description = (f"limits per sandbox: {mib} MiB of memory, {self.limits.processes} "
                            f"processes ({kind if as_root() else kind + ' delegated to you'})")
        return self

    def __exit__(self, *exc):
        for slot in self.slots or []:
            slot.remove()


def unified():
    """Whether this machine mounts cgroup v2's unified hierarchy (else v1's, or none)."""
    return (ROOT / "cgroup.controllers").exists()


def group_parents():
    """Where this run's groups go, as a SlotCgroup's `parents`. Raises OSError, saying why,
    where no groups can be made (no cgroup hierarchy, or none that this user may use)."""
    if unified():
        return _unified_parent()
    if as_root():
        return ()
    return _own_v1_groups()


def _unified_parent():
    """cgroup v2: root makes `course-grading/` at the top; an ordinary user makes its groups
    inside its own group, which must be delegated to it (`systemd-run --user --scope -p
    Delegate=yes course autograde ...`). A group whose children use controllers may hold no
    process, so the grader first moves itself into a group of its own, `<pid>-grader`."""
    if as_root():
        parent = ROOT / PARENT
        _enable_controllers(ROOT)
        parent.mkdir(exist_ok=True)
    else:
        path = next(line.split(":", 2)[2] for line in PROC_SELF_CGROUP.read_text().splitlines()
                    if line.startswith("0::"))
        parent = ROOT / path.strip().lstrip("/")
        if not os.access(parent / "cgroup.subtree_control", os.W_OK):
            raise PermissionError(f"your cgroup {parent} is not delegated to you (run "
                                  "course in `systemd-run --user --scope -p Delegate=yes`)")
        grader = parent / f"{os.getpid()}-grader"
        grader.mkdir(exist_ok=True)
        _write(grader / "cgroup.procs", os.getpid())
    _enable_controllers(parent)
    return (str(parent),)


def _enable_controllers(group):
    """Let the children of `group` use the memory and pids controllers (cgroup v2)."""
    available = (group / "cgroup.controllers").read_text().split()
    missing = [controller for controller in CONTROLLERS if controller not in available]
    if missing:
        raise OSError(f"the {', '.join(missing)} controller is not available in {group}")
    _write(group / "cgroup.subtree_control", " ".join(f"+{c}" for c in CONTROLLERS))


def _own_v1_groups():
    """cgroup v1, an ordinary user: its own memory and pids groups, if delegated to it."""
    own = {}
    for line in PROC_SELF_CGROUP.read_text().splitlines():
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
    counted = ("counted in its user namespace" if nproc_counted_per_namespace()
               else "beside the ones you run: this kernel counts them together")
    return (f"limits per process only: no cgroup ({reason}); a sandbox may still start "
            f"{limits.processes} processes ({counted}), each using "
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
    except OSError as error:
        if _gone(error):
            return []
        raise


def _gone(error):
    """Whether `error` says the group was removed: by now (ENOENT) or while we read it (a
    group being deleted answers ENODEV; two Dask workers clear the same leftovers at once)."""
    return error.errno in (errno.ENOENT, errno.ENODEV)


def _write(path, value):
    path.write_text(str(value))

