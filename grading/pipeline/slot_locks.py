"""Sandbox uids are claimed from the machine, so that no two grading processes share one.

A sandbox runs as an unprivileged uid of its own, and the kernel's process limit counts every
process of that uid: two sandboxes with one uid would share a limit, and could signal each
other. A local `course autograde` run and the Dask workers on one machine therefore take their
uids from one place: the lowest uid (from `FIRST_UID`) whose lock file,
`/run/lock/course-grading/uid-<uid>.lock`, no other process holds an exclusive `flock` on.
The kernel drops a process's locks when it dies, even by SIGKILL, so nothing needs cleaning up.

Grading as an ordinary user needs no such claim: each sandbox is a user namespace of its own,
whatever uid it shows inside.
"""

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from .sandbox import FIRST_UID, SandboxUnavailable, Slot, as_root

SLOT_LOCKS = Path(os.environ.get("COURSE_SLOT_LOCKS", "/run/lock/course-grading"))
MAX_SLOTS = 256  # sandbox uids a machine may use at once: FIRST_UID .. FIRST_UID + 255


def claim_slot():
    """Lock the lowest sandbox uid that no process on this machine holds.

    Returns (Slot, lock): the slot is this process's until `lock` (an open file) is closed or
    the process ends. Raises SandboxUnavailable when every uid is taken.
    """
    SLOT_LOCKS.mkdir(parents=True, exist_ok=True)
    for slot in map(Slot, range(MAX_SLOTS)):
        lock = open(SLOT_LOCKS / f"uid-{slot.uid}.lock", "a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        return slot, lock
    raise SandboxUnavailable(f"all {MAX_SLOTS} sandbox uids from {FIRST_UID} are in use on this "
                             f"machine (locks in {SLOT_LOCKS})")


@contextmanager
def claimed_slots(count):
    """`count` slots claimed with `claim_slot`, released on leaving the block; for an ordinary
    user, slots 0..count-1, unclaimed."""
    locks = []
    try:
        if as_root():
            for _ in range(count):
                locks.append(claim_slot())
        else:
            locks = [(Slot(index), None) for index in range(count)]
        yield [slot for slot, _ in locks]
    finally:
        for _, lock in locks:
            if lock:
                lock.close()
