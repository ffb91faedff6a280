"""cgroup v2 (the unified hierarchy), root and delegated to an ordinary user.

Our machines and CI have cgroup v1 (where `test_sandbox.py`, `test_without_root.py` and the
hostile runs check that the kernel enforces the limits), so these tests give
`grading.pipeline.cgroup` a cgroup v2 tree made of plain files and check what it writes there:
which groups, which controllers enabled, which limits, which `cgroup.procs` a sandbox joins,
where out-of-memory kills are read. The files that the kernel creates in a new group are made
by hand. `scripts/grading_on_cgroup_v2.sh` runs the kernel-enforced tests on real cgroup v2, in
a virtual machine that boots with systemd.
"""

import errno
import os
import pathlib
import subprocess
from types import SimpleNamespace

import pytest

from grading.pipeline import cgroup, cluster_task
from grading.pipeline.cgroup import SlotCgroups
from grading.pipeline.sandbox import Limits, MiB, Slot

OWN = "user.slice/user-1000.slice/user@1000.service/app.slice/run-course.scope"
LIMITS = Limits(sandbox_memory_bytes=256 * MiB, processes=20)


def unified_tree(root, own_controllers="memory pids", subtree_control=True):
    """A cgroup v2 root with the group of an ordinary user's scope, as systemd makes it."""
    (root / "cgroup.controllers").parent.mkdir(parents=True, exist_ok=True)
    (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (root / "cgroup.subtree_control").write_text("")
    own = root / OWN
    own.mkdir(parents=True)
    (own / "cgroup.controllers").write_text(own_controllers + "\n")
    (own / "cgroup.procs").write_text(f"{os.getpid()}\n")
    if subtree_control:
        (own / "cgroup.subtree_control").write_text("")
    return own


@pytest.fixture
def v2(tmp_path, monkeypatch):
    """A fake cgroup v2 machine, graded as an ordinary user; returns its root."""
    root = tmp_path / "cgroup"
    proc_self = tmp_path / "proc-self-cgroup"
    proc_self.write_text(f"0::/{OWN}\n")
    monkeypatch.setattr(cgroup, "ROOT", root)
    monkeypatch.setattr(cgroup, "PROC_SELF_CGROUP", proc_self)
    monkeypatch.setattr(cgroup, "as_root", lambda: False)
    return root


def empty(directory):
    """Delete the files in a group, as the kernel does with a group's own files on rmdir."""
    for path in directory.iterdir():
        if path.is_file():
            path.unlink()


def test_ordinary_user_makes_slot_groups_inside_its_delegated_scope(v2):
    own = unified_tree(v2)
    with SlotCgroups(2, LIMITS) as groups:
        assert groups.description == ("limits per sandbox: 256 MiB of memory, 20 processes "
                                      "(cgroup v2 delegated to you)")
        # the grader left its group (a group with children may hold no process) ...
        grader = own / f"{os.getpid()}-grader"
        assert (grader / "cgroup.procs").read_text() == str(os.getpid())
        # ... so that its children may use both controllers
        assert (own / "cgroup.subtree_control").read_text() == "+memory +pids"
        first, second = groups.slots
        assert first.directories() == [own / f"{os.getpid()}-slot0"]
        assert (first.path("memory") / "memory.max").read_text() == str(256 * MiB)
        assert (first.path("pids") / "pids.max").read_text() == "20"
        assert second.path("pids") == own / f"{os.getpid()}-slot1"
        # a sandbox joins its one group, then runs
        joined = subprocess.run([*first.join_command(), "sh", "-c", "echo $$"],
                                capture_output=True, text=True, check=True)
        procs = first.path("memory") / "cgroup.procs"
        assert procs.read_text().split() == joined.stdout.split()
        procs.write_text("")  # that process is gone; its pid must not be killed later
        (first.path("memory") / "memory.events").write_text(
            "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\noom_group_kill 0\n")
        assert first.oom_kills() == 1
        for slot in groups.slots:
            empty(slot.path("memory"))
    assert not (own / f"{os.getpid()}-slot0").exists()


def test_root_makes_course_grading_at_the_top(v2, monkeypatch):
    monkeypatch.setattr(cgroup, "as_root", lambda: True)
    unified_tree(v2)
    top = v2 / "course-grading"
    top.mkdir()
    (top / "cgroup.controllers").write_text("memory pids\n")
    with SlotCgroups(1, LIMITS) as groups:
        assert groups.description.endswith("20 processes (cgroup v2)")
        assert (v2 / "cgroup.subtree_control").read_text() == "+memory +pids"
        assert (top / "cgroup.subtree_control").read_text() == "+memory +pids"
        assert groups.slots[0].directories() == [top / f"{os.getpid()}-slot0"]
        empty(groups.slots[0].path("pids"))


def test_a_dask_workers_slot_makes_its_group_where_root_does(v2, monkeypatch, tmp_path):
    monkeypatch.setattr(cgroup, "as_root", lambda: True)
    monkeypatch.setattr(cluster_task, "_dask_worker",
                        lambda: SimpleNamespace(local_directory=str(tmp_path)))
    unified_tree(v2)
    top = v2 / "course-grading"
    top.mkdir()
    (top / "cgroup.controllers").write_text("memory pids\n")
    claimed = cluster_task.ClaimedSlot(Slot(3), lock=None)
    saved = claimed.apply_limits(LIMITS)
    assert saved == [f"{os.getpid()}-slot3", [str(top)]]  # what the job file holds
    assert (top / f"{os.getpid()}-slot3" / "memory.max").read_text() == str(256 * MiB)
    assert claimed.limits_applied == ("limits per sandbox: 256 MiB of memory, 20 processes "
                                      "(cgroup v2)")
    empty(claimed.cgroup.path("memory"))
    claimed.cgroup.remove()


@pytest.mark.parametrize("tree, reason", [
    ({"subtree_control": False}, f"your cgroup {{root}}/{OWN} is not delegated to you (run "
                                  "course in `systemd-run --user --scope -p Delegate=yes`)"),
    ({"own_controllers": "cpu io"}, f"the memory, pids controller is not available in "
                                    f"{{root}}/{OWN}"),
])
def test_without_a_usable_delegation_limits_stay_per_process(v2, tree, reason):
    unified_tree(v2, **tree)
    with SlotCgroups(2, LIMITS) as groups:
        assert groups.slots is None
        assert groups.description.startswith(
            f"limits per process only: no cgroup ({reason.format(root=v2)}); a sandbox may "
            "still start 20 processes (counted in its user namespace)")


def test_a_leftover_group_that_another_process_is_deleting_is_skipped(v2, monkeypatch):
    """Two Dask workers starting together both clear the groups of a killed one: the loser
    reads a group the kernel is deleting, which answers ENODEV, and must go on."""
    own = unified_tree(v2)
    leftover = own / "999999999-slot0"  # no such pid: its run is gone
    leftover.mkdir()
    (leftover / "cgroup.procs").write_text("")
    real_read_text, real_rmdir = pathlib.Path.read_text, pathlib.Path.rmdir

    def being_deleted(method):
        def answer(path, *args, **kwargs):
            if leftover in (path, path.parent):
                raise OSError(errno.ENODEV, os.strerror(errno.ENODEV), str(path))
            return method(path, *args, **kwargs)
        return answer

    monkeypatch.setattr(pathlib.Path, "read_text", being_deleted(real_read_text))
    monkeypatch.setattr(pathlib.Path, "rmdir", being_deleted(real_rmdir))
    cgroup.remove_leftovers(cgroup.group_parents())
    monkeypatch.undo()
    (leftover / "cgroup.procs").unlink()
    (leftover / "cgroup.procs").mkdir()
    with pytest.raises(IsADirectoryError):  # any other error still stops the run
        cgroup._pids(leftover)
