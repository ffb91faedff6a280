"""An ordinary (non-root) account for the grading tests: an instructor grading without root,
as on a shared server, a JupyterHub or Binder.

    with OrdinaryUser(delegated_cgroup=True) as user:
        user.give(course_dir)
        user.run([COURSE, "--course", str(course_dir), "autograde", "ps1"])
        assert not user.processes()

The account is made by the test (the suite runs as root) and removed after it, with whatever
it left running. Its commands run in a private mount namespace that shows them this
project's Python where this machine keeps it out of other users' reach (a pyenv under
`/root`, which is 0700): an instructor's own Python is always readable by the instructor.
With `delegated_cgroup`, its commands run in a cgroup of its own, delegated the way this
machine does it: where systemd runs with cgroup v2, each command runs in a user scope
(`systemd-run --user --scope -p Delegate=yes`, the account's systemd user manager started
for it); otherwise as an administrator delegates by hand: a memory and a pids group made the
account's (v1), or one group of the unified hierarchy whose `cgroup.procs`,
`cgroup.subtree_control` and `cgroup.threads` are the account's (v2, as systemd does it).
"""

import itertools
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from grading.pipeline.cgroup import CONTROLLERS, ROOT, unified
from grading.pipeline.sandbox import processes_of, python_paths

COURSE = str(Path(sys.executable).parent / "course")
SYSTEMD = Path("/run/systemd/system").is_dir()  # this machine booted with systemd
_accounts_made = itertools.count()


class OrdinaryUser:
    """A throwaway account (`name`, `uid`, `home`) for the duration of a `with` block."""

    def __init__(self, delegated_cgroup=False):
        self.name = f"grader{os.getpid()}n{next(_accounts_made)}"  # unique while it lives
        self.delegation = None  # or "systemd", or "by hand" (the administrator's groups)
        if delegated_cgroup:
            self.delegation = "systemd" if SYSTEMD and unified() else "by hand"
        self.home = Path(tempfile.mkdtemp(prefix=f"{self.name}-home-"))
        self.uid = self.gid = None

    def __enter__(self):
        subprocess.run(["useradd", "--no-create-home", "--home-dir", str(self.home),
                        "--shell", "/usr/sbin/nologin", self.name], check=True)
        account = pwd.getpwnam(self.name)
        self.uid, self.gid = account.pw_uid, account.pw_gid
        self.give(self.home)
        if self.delegation == "systemd":  # starts the account's user manager, and keeps it
            subprocess.run(["loginctl", "enable-linger", self.name], check=True)
            _wait_for(Path(f"/run/user/{self.uid}/systemd/private"))
        for group in self.cgroups():
            group.mkdir()
            if unified():
                self._delegate_v2(group)
            else:
                self.give(group)
        return self

    def __exit__(self, *exc):
        if self.delegation == "systemd":
            subprocess.run(["loginctl", "disable-linger", self.name], check=True)
            subprocess.run(["loginctl", "terminate-user", self.name], check=False,
                           stderr=subprocess.DEVNULL)  # if disable-linger did not end it
        for pid in self.processes():
            _kill(pid)
        subprocess.run(["userdel", self.name], check=True)
        for group in self.cgroups():
            for child in [p for p in group.iterdir() if p.is_dir()]:
                child.rmdir()
            group.rmdir()
        shutil.rmtree(self.home, ignore_errors=True)

    def cgroups(self):
        """The groups an administrator delegated to the account (made by this test)."""
        if self.delegation != "by hand":
            return []
        name = f"course-test-{self.name}"
        if unified():
            return [ROOT / name]
        return [ROOT / controller / name for controller in CONTROLLERS]

    def _delegate_v2(self, group):
        """Let the account make groups inside `group` and move its processes between them."""
        wanted = " ".join(f"+{controller}" for controller in CONTROLLERS)
        (ROOT / "cgroup.subtree_control").write_text(wanted)  # so that `group` has them
        for path in (group, *(group / f for f in ("cgroup.procs", "cgroup.subtree_control",
                                                   "cgroup.threads"))):
            os.chown(path, self.uid, self.gid)

    def own_venv(self):
        """A virtual environment of the account's own, in its home, as on Binder; its packages
        are this project's environment's (a `.pth` file adds them). Returns its python."""
        venv = self.home / "venv"
        subprocess.run([Path(sys.base_prefix) / "bin" / "python3", "-m", "venv", "--without-pip",
                        venv], check=True)
        site_packages = Path(sysconfig.get_path("purelib", vars={"base": str(venv)}))
        (site_packages / "project-environment.pth").write_text(
            f"import site; site.addsitedir({sysconfig.get_path('purelib')!r})\n")
        self.give(venv)
        return venv / "bin" / "python"

    def give(self, path):
        """Make `path` (a file or a whole tree) the account's own."""
        subprocess.run(["chown", "-R", f"{self.uid}:{self.gid}", str(path)], check=True)

    def folder(self, name):
        """A new empty folder of the account's own, in its home."""
        path = self.home / name
        path.mkdir()
        self.give(path)
        return path

    def run(self, argv, **kwargs):
        """Run `argv` as the account (its own environment, in its home); subprocess.run."""
        return subprocess.run(self.command(argv), cwd=self.home, **kwargs)

    def command(self, argv):
        """The command line that runs `argv` as the account (start it in its home), in its
        delegated cgroup if it has one."""
        steps = _python_made_visible(self.home / ".python")
        steps += [f"echo $$ > {group / 'cgroup.procs'}" for group in self.cgroups()]
        environment = [f"HOME={self.home}", f"USER={self.name}", "LANG=C.UTF-8",
                       f"PATH={Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"]
        if self.delegation == "systemd":
            environment.append(f"XDG_RUNTIME_DIR=/run/user/{self.uid}")
            argv = ["systemd-run", "--user", "--scope", "--quiet", "-p", "Delegate=yes", *argv]
        steps.append(shlex.join(["exec", "setpriv", f"--reuid={self.uid}", f"--regid={self.gid}",
                                 "--clear-groups", "env", "-i", *environment, *map(str, argv)]))
        return ["unshare", "--mount", "--propagation", "private", "sh", "-ec", "\n".join(steps)]

    def processes(self):
        """Pids of the processes running as the account: none should be left after grading
        (its systemd user manager and the services it runs aside)."""
        return [pid for pid in processes_of(self.uid) if not self._of_user_manager(pid)]

    def _of_user_manager(self, pid):
        """Whether `pid` is the account's systemd user manager or one of its services, which
        outlive grading; what `systemd-run --scope` starts lives in a `run-*.scope`."""
        try:
            groups = Path(f"/proc/{pid}/cgroup").read_text().strip().split("/")
        except OSError:
            return False  # gone meanwhile
        return (f"user@{self.uid}.service" in groups
                and not any(g.endswith(".scope") and g != "init.scope" for g in groups))


def _python_made_visible(keep):
    """Shell steps (for a private mount namespace) that let every user reach Python's folders:
    each folder that other users cannot enter on the way gets a 0755 tmpfs over it, with the
    needed paths bound back inside (held meanwhile at folders under `keep`)."""
    hidden = {}  # path -> the closed folder above it
    for path in python_paths():
        closed = [p for p in reversed(Path(path).parents)
                  if p != Path("/") and not os.stat(p).st_mode & 0o001]
        if closed:
            hidden[path] = closed[0]
    held = {path: f"{keep}/{index}" for index, path in enumerate(hidden)}
    steps = [f"mkdir -p {held[path]} && mount --bind {shlex.quote(path)} {held[path]}"
             for path in hidden]
    steps += [f"mount -t tmpfs -o mode=0755 tmpfs {closed}" for closed in set(hidden.values())]
    steps += [f"mkdir -p {shlex.quote(path)} && mount --bind {held[path]} {shlex.quote(path)}"
              for path in hidden]
    return steps


def _wait_for(path, seconds=30):
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear in {seconds} s")
        time.sleep(0.1)


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
