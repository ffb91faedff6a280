"""The sandbox on its own: what a jailed program can see and do (no kernel involved)."""

import subprocess
import sys
from pathlib import Path

import pytest
from grading_testkit import CGROUP_KIND, needs_sandbox

import grading
from grading.pipeline.cgroup import SlotCgroups
from grading.pipeline.sandbox import FIRST_UID, Limits, MiB, Sandbox, Slot

pytestmark = needs_sandbox


def jailed(code, tmp_path, limits=None, cgroup=None):
    """Run Python `code` in a sandbox whose submission is tmp_path (in `cgroup`, if given);
    return the result."""
    (tmp_path / "given.txt").write_text("hello")
    tmp_path.chmod(0o755)
    (tmp_path / "given.txt").chmod(0o644)
    sandbox = Sandbox(Slot(1), limits or Limits(), tmp_path, cgroup=cgroup)
    command = sandbox.command([sys.executable, "-c", code])
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_runs_as_the_slot_uid_without_capabilities(tmp_path):
    out = jailed("import os; print(os.getuid(), os.getgid(), os.getgroups(),"
                 " open('/proc/self/status').read().split('CapEff:')[1].split()[0])", tmp_path)
    assert out.stdout.split() == [str(FIRST_UID + 1), str(FIRST_UID + 1), "[]", "0000000000000000"]


def test_sees_a_private_writable_copy_of_its_submission_only(tmp_path):
    repo = Path(grading.__file__).parents[1]  # holds the course and the grader
    code = ("import os; print(open('given.txt').read()); open('given.txt', 'w').write('x');"
            f"print(os.path.exists({str(tmp_path)!r}), os.path.exists({str(repo / 'course')!r}),"
            f" os.path.exists({str(repo / 'grading')!r}), sorted(os.listdir('/home')))")
    out = jailed(code, tmp_path)
    assert out.stdout.split() == ["hello", "False", "False", "False", "['student']"]
    assert (tmp_path / "given.txt").read_text() == "hello"


def test_system_is_read_only(tmp_path):
    out = jailed("open('/usr/evil', 'w')", tmp_path)
    assert "Read-only file system" in out.stderr


def test_only_loopback_network(tmp_path):
    out = jailed("import socket; print(sorted(n for _, n in socket.if_nameindex()))", tmp_path)
    assert out.stdout.strip() == "['lo']"


def test_process_limit_is_enforced(tmp_path):
    code = ("import os, time\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n"
            "            time.sleep(30); os._exit(0)\n        n += 1\n"
            "except OSError:\n    print(n)")
    out = jailed(code, tmp_path, Limits(processes=20))
    assert 0 < int(out.stdout) < 20


def test_memory_and_file_size_limits(tmp_path):
    code = ("try:\n    bytearray(512 * 2**20)\nexcept MemoryError:\n    print('memory')\n"
            "try:\n    open('big', 'wb').write(b'x' * 2 * 2**20)\nexcept OSError as e:\n"
            "    print(e.strerror)")
    out = jailed(code, tmp_path, Limits(memory_bytes=256 * MiB, file_bytes=1 * MiB))
    assert out.stdout.splitlines() == ["memory", "File too large"]


def test_disk_space_is_capped(tmp_path):
    code = ("try:\n    for i in range(64):\n        open(f'f{i}', 'wb').write(b'x' * 2**20)\n"
            "except OSError as e:\n    print(e.strerror)")
    out = jailed(code, tmp_path, Limits(disk_bytes=8 * MiB))
    assert out.stdout.strip() == "No space left on device"


@pytest.mark.parametrize("path", ["/root/.pyenv", "/etc/shadow", "/etc/passwd"])
def test_host_files_outside_the_python_install_are_absent(tmp_path, path):
    out = jailed(f"import os; print(os.path.exists({path!r}) and {path!r} != '/root/.pyenv')",
                 tmp_path)
    assert out.stdout.strip() == "False"


def test_memory_of_the_whole_sandbox_is_capped_by_its_cgroup(tmp_path):
    code = ("import os, time\nchildren = []\nfor _ in range(4):\n    pid = os.fork()\n"
            "    if pid == 0:\n        blob = b'x' * (100 * 2**20)\n        time.sleep(2)\n"
            "        os._exit(0)\n    children.append(pid)\n"
            "print(*(os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in children))")
    limits = Limits(sandbox_memory_bytes=256 * MiB)
    with SlotCgroups(2, limits) as cgroups:
        assert cgroups.description == \
            f"limits per sandbox: 256 MiB of memory, 64 processes ({CGROUP_KIND})"
        group = cgroups.slots[1]
        out = jailed(code, tmp_path, limits, cgroup=group)
        exits = [int(code) for code in out.stdout.split()]
        assert -9 in exits and 0 in exits  # some children were killed, not all
        assert group.oom_kills() >= 1
        assert cgroups.slots[0].oom_kills() == 0
    assert not group.path("memory").exists() and not group.path("pids").exists()


def test_without_cgroups_limits_stay_per_process(monkeypatch, tmp_path):
    monkeypatch.setattr("grading.pipeline.cgroup.ROOT", tmp_path / "no-cgroups")
    with SlotCgroups(2, Limits()) as cgroups:
        assert cgroups.slots is None
        assert cgroups.description.startswith("limits per process only: no cgroups (No such ")
