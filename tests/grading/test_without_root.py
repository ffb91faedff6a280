"""The sandbox of an instructor who is not root: a user namespace per sandbox.

The whole hostile corpus (`test_hostile.py`) and a sample class (`test_assignments.py`) are
also graded by an ordinary user; these tests look at the sandbox itself.
"""

import os
import subprocess
import sys
import textwrap

import pytest
from grading_testkit import CGROUP_KIND, needs_sandbox
from ordinary_user import OrdinaryUser

from grading.pipeline.sandbox import (
    Limits,
    Sandbox,
    Slot,
    nproc_counted_per_namespace,
    user_namespaces_problem,
)

pytestmark = needs_sandbox

# Run by the ordinary user: a sandbox of slot 0 around `argv`, with the default limits.
JAILED = """
import subprocess, sys
from grading.pipeline.sandbox import Limits, Sandbox, Slot
sandbox = Sandbox(Slot(0), Limits(), submission_dir=None)
sys.exit(subprocess.run(sandbox.command(sys.argv[1:]), env=sandbox.environment()).returncode)
"""

FORK_AS_MANY_AS_ALLOWED = """
import os, time
children = 0
while True:
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    children += 1
print(children)
"""


# Run by the ordinary user: slot 0's sandbox in the cgroup made for it inside the user's own
# (`SlotCgroups`), capped at 256 MiB and 20 processes; five children of 100 MiB each (each
# well under the per-process limit), then as many processes as it may start.
IN_ITS_CGROUP = """
import subprocess, sys
from grading.pipeline.cgroup import SlotCgroups
from grading.pipeline.sandbox import Limits, MiB, Sandbox, Slot
limits = Limits(sandbox_memory_bytes=256 * MiB, processes=20)
with SlotCgroups(1, limits) as groups:
    print(groups.description)
    sandbox = Sandbox(Slot(0), limits, submission_dir=None, cgroup=groups.slots[0])
    for code in sys.argv[1:]:
        done = subprocess.run(sandbox.command(["python3", "-c", code]), capture_output=True,
                              text=True, env=sandbox.environment())
        print(done.stdout.strip() or done.stderr.strip().splitlines()[-1])
    print("out-of-memory kills:", groups.slots[0].oom_kills())
"""

CHILDREN_OF_100_MIB = """
import os, time
children = []
for _ in range(5):
    pid = os.fork()
    if pid == 0:
        blob = b"x" * (100 * 2 ** 20)
        time.sleep(2)
        os._exit(0)
    children.append(pid)
print(*(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children))
"""


@pytest.fixture(scope="module")
def user():
    with OrdinaryUser() as account:
        yield account


def jailed(user, *argv, **kwargs):
    return user.run([sys.executable, "-c", JAILED, *argv], capture_output=True, text=True,
                    **kwargs)


def test_the_process_limit_counts_each_sandbox_alone(user):
    """RLIMIT_NPROC is counted per user namespace: the instructor's other processes (here 100
    of them) do not use up a sandbox's 64, and a fork bomb stops at 64 all the same."""
    outside = user.run(["sh", "-c", "for i in $(seq 100); do sleep 60 >/dev/null 2>&1 & "
                        "done; echo started"], capture_output=True, text=True)
    assert outside.stdout.strip() == "started"
    assert len(user.processes()) >= 100
    done = jailed(user, "python3", "-c", FORK_AS_MANY_AS_ALLOWED)
    assert int(done.stdout) == 63, done.stderr  # 64 processes: python and its children
    user.run(["pkill", "-u", user.name, "sleep"])


def test_sandboxes_of_one_user_do_not_see_each_other(user):
    other = subprocess.Popen(
        user.command([sys.executable, "-c", JAILED, "sh", "-c", "echo secret > /tmp/mine; "
                      "echo marker > $HOME/mine; echo ready; exec sleep 30"]),
        cwd=user.home, stdout=subprocess.PIPE, text=True)
    assert other.stdout.readline() == "ready\n"  # its files are written, its sleep runs
    # (/tmp is not empty where the project lives under /tmp: its venv is mounted there)
    look = textwrap.dedent("""
        import os
        print(os.path.exists("/tmp/mine"), os.listdir(os.environ["HOME"]))
        print([pid for pid in os.listdir("/proc") if pid.isdigit()])
    """)
    done = jailed(user, "python3", "-c", look)
    files, processes = done.stdout.splitlines()
    assert files == "False []", done.stderr  # neither /tmp nor the home of the other sandbox
    assert processes == "['1']"  # itself only: the other sandbox's sleep is not in its /proc
    assert other.poll() is None  # which still runs, outside this sandbox
    other.kill()
    other.wait()


def test_a_delegated_cgroup_caps_the_whole_sandbox():
    """The ordinary user's own cgroup, delegated as this machine does it (by hand with cgroup
    v1; a systemd user scope with v2), holds each sandbox's memory and processes together."""
    with OrdinaryUser(delegated_cgroup=True) as user:
        done = user.run([sys.executable, "-c", IN_ITS_CGROUP, CHILDREN_OF_100_MIB,
                         FORK_AS_MANY_AS_ALLOWED], capture_output=True, text=True)
        assert not user.processes()
    summary, memory, processes, kills = done.stdout.splitlines()
    assert summary == (f"limits per sandbox: 256 MiB of memory, 20 processes ({CGROUP_KIND} "
                       "delegated to you)"), done.stderr
    exits = [int(code) for code in memory.split()]
    assert -9 in exits and 0 in exits  # some children were killed, not all
    assert int(processes) <= 19  # 20 tasks: python and its children
    assert int(kills.split(": ")[1]) >= 1


def test_disabled_user_namespaces_are_refused_naming_the_setting(tmp_path):
    (tmp_path / "max").write_text("15000\n")
    (tmp_path / "clone").write_text("0\n")
    switches = [("user.max_user_namespaces", tmp_path / "max", "0", "raise it"),
                ("kernel.unprivileged_userns_clone", tmp_path / "clone", "0", "set it to 1"),
                ("kernel.other", tmp_path / "missing", "0", "never read")]
    assert user_namespaces_problem(switches) == (
        "grading as an ordinary user needs unprivileged user namespaces, which this machine "
        "turns off (kernel.unprivileged_userns_clone = 0). Ask an administrator to run "
        "`set it to 1`, or grade as root, or (unconfined) --unsafe-no-sandbox")
    assert user_namespaces_problem([switches[0], switches[2]]) is None


def test_before_linux_5_14_the_process_limit_adds_the_instructors_own(monkeypatch):
    assert nproc_counted_per_namespace("6.18.44-fc-v1272")
    assert nproc_counted_per_namespace("5.14.0-70.el9.x86_64")
    assert not nproc_counted_per_namespace("5.10.0-28-amd64")
    monkeypatch.setattr("grading.pipeline.sandbox.as_root", lambda: False)
    monkeypatch.setattr("grading.pipeline.sandbox.platform.release", lambda: "5.10.0-28-amd64")
    monkeypatch.setattr("grading.pipeline.sandbox.processes_of",
                        lambda uid: [1000 + n for n in range(37)] if uid == os.getuid() else [])
    command = Sandbox(Slot(0), Limits(processes=64), submission_dir=None).command(["true"])
    assert "--nproc=101" in command  # the sandbox's 64, beside the instructor's 37
