"""The jail student code runs in: bubblewrap namespaces, a uid of its own, resource limits.

A sandboxed command sees:

* a read-only system (`/usr`), the Python interpreter and the virtual environment, and the
  folder of the notebook's kernelspec (`kernel_dirs`), nothing else of the host: not the course
  directory, the gradebook, or any other submission (`shows` says whether a host path is seen);
* `/home/student`, a size-limited tmpfs holding a private copy of this one submission's files
  (copied from a read-only `/submission` when the sandbox starts), and size-limited `/tmp` and
  `/dev/shm`; when the program ends, what it left in the home directory is copied to an outbox
  on the host, for the grader to read (`grading.pipeline.written_files`);
* no network at all (`--unshare-net`: only its own loopback), its own pid namespace, so every
  process it starts dies with it.

Who the student's code runs as depends on who grades:

* **root**: each parallel worker (`Slot`) has a dedicated uid, unused by any account, because
  Linux only enforces the process-count limit for ordinary users. `setpriv` drops root and
  every capability; the shell that copies files in and out stays root, out of the student's
  reach.
* **an ordinary user** (a course account, JupyterHub, Binder): each sandbox gets a user
  namespace of its own (`--unshare-user`), in which the student is the only uid there is and
  has no capability. The shell that copies files runs as the sandbox's process 1, which
  signals from inside cannot kill (the kernel drops those that process 1 has no handler for).
  Since Linux 5.14 the process-count limit is counted per user namespace: per sandbox.

Either way `prlimit` caps address space, CPU seconds, file size, open files and processes of
each process. The sandbox as a whole (all its processes together) is capped in memory and
processes by its slot's cgroup, where the machine allows (`grading.pipeline.cgroup`).
"""

import os
import platform
import pwd
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

MiB = 1024 * 1024
GiB = 1024 * MiB

# Sandboxed uids are FIRST_UID, FIRST_UID + 1, ... : one per worker, unused by any real account.
FIRST_UID = int(os.environ.get("COURSE_SANDBOX_FIRST_UID", "61000"))
HOME = "/home/student"
SUBMISSION = "/submission"
COPY_IN = f"cp -R {SUBMISSION}/. . 2>/dev/null"
# visible files only; links stay links, for the grader to refuse (`written_files`)
COPY_OUT = 'mkdir -p "$1" && cp -RP -- ./[!.]* "$1"/ 2>/dev/null'
SYSTEM_DIRS = ("bin", "lib", "lib64", "sbin")  # under /, besides /usr: often links into it


@dataclass(frozen=True)
class Limits:
    """What one notebook run may use. Times are wall-clock seconds unless named cpu."""

    cell_timeout: float = 60
    notebook_timeout: float = 600
    memory_bytes: int = 2 * GiB  # address space of each process (importing torch: ~0.8 GiB)
    sandbox_memory_bytes: int = 3 * GiB  # memory of all its processes together (cgroup)
    cpu_seconds: int = 600  # per process
    file_bytes: int = 64 * MiB  # largest file it may write
    disk_bytes: int = 256 * MiB  # its home directory and /tmp, each
    open_files: int = 256
    processes: int = 64  # threads count too; per uid (prlimit) and per sandbox (cgroup)
    output_bytes: int = 2 * MiB  # notebook outputs kept; the rest is dropped

    def to_dict(self):
        return asdict(self)


@dataclass(frozen=True)
class Slot:
    """One parallel worker's identity: the uid and gid its student code runs as."""

    index: int

    @property
    def uid(self):
        return FIRST_UID + self.index

    @property
    def gid(self):
        return FIRST_UID + self.index


class SandboxUnavailable(RuntimeError):
    """Bubblewrap cannot jail student code on this machine; the message says why and what to do."""


def as_root():
    """Whether this process grades as root (a uid per slot) rather than as an ordinary user
    (a user namespace per sandbox)."""
    return os.geteuid() == 0


def sandbox_kind():
    """How student code is jailed here, in words, for the run's summary."""
    if as_root():
        return "sandbox: bubblewrap, a uid of its own per slot (grading as root)"
    return ("sandbox: bubblewrap, a user namespace of its own per submission "
            "(grading as an ordinary user)")


def require_sandbox(workers):
    """Raise SandboxUnavailable unless bwrap can jail code here for `workers` slots at once."""
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(
            "bubblewrap is not installed (apt-get install bubblewrap, or `make install`)"
        )
    if not as_root():
        _probe(user_namespaces_problem)
        return
    for slot in map(Slot, range(workers)):
        try:
            owner = pwd.getpwuid(slot.uid).pw_name
        except KeyError:
            continue
        raise SandboxUnavailable(
            f"uid {slot.uid} belongs to account '{owner}'; choose unused uids with "
            "COURSE_SANDBOX_FIRST_UID"
        )
    _probe(lambda: None)


def _probe(explain):
    """Start an empty sandbox; raise SandboxUnavailable with `explain()`'s reason if it fails."""
    probe = subprocess.run(
        Sandbox(Slot(0), Limits(), submission_dir=None).command(["true"]),
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        reason = explain() or f"bwrap cannot start a sandbox here: {probe.stderr.strip()}"
        raise SandboxUnavailable(reason)


# Settings that turn unprivileged user namespaces off: (setting, its file, the value that
# turns them off, how to turn them back on)
USERNS_SWITCHES = [
    ("user.max_user_namespaces", "/proc/sys/user/max_user_namespaces", "0",
     "sysctl -w user.max_user_namespaces=15000"),
    ("kernel.unprivileged_userns_clone", "/proc/sys/kernel/unprivileged_userns_clone", "0",
     "sysctl -w kernel.unprivileged_userns_clone=1"),
    ("kernel.apparmor_restrict_unprivileged_userns",
     "/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1",
     "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or give bwrap an AppArmor "
     "profile that allows userns"),
]


def user_namespaces_problem(switches=USERNS_SWITCHES):
    """Why an ordinary user cannot make the user namespaces that the sandbox needs: the first
    of `switches` that turns them off, with what to do; None if none does."""
    for setting, path, off, undo in switches:
        try:
            value = Path(path).read_text().strip()
        except OSError:
            continue
        if value == off:
            return (f"grading as an ordinary user needs unprivileged user namespaces, which "
                    f"this machine turns off ({setting} = {value}). Ask an administrator to "
                    f"run `{undo}`, or grade as root, or (unconfined) --unsafe-no-sandbox")
    return None


class Sandbox:
    """Builds the command line that runs a program jailed, for one slot and one submission.

    `submission_dir` (host path, or None) is mounted read-only at /submission and copied into
    the home directory at start. `shared_dirs` are host directories mounted read-write at the
    same path (the kernel's unix sockets live there). `enabled=False` keeps only the resource
    limits: that is `--unsafe-no-sandbox`. `cgroup` (a `SlotCgroup`, or None) is the group
    the whole sandbox runs in. `outbox` (a host path inside one of `shared_dirs`, or None) is
    where the home directory's files are copied when the program ends. `kernel_dirs` are
    host directories mounted read-only at the same path: a kernelspec's folder, which its
    argv may name (`{resource_dir}`).
    """

    def __init__(self, slot, limits, submission_dir, shared_dirs=(), enabled=True, cgroup=None,
                 outbox=None, kernel_dirs=()):
        self.slot = slot
        self.limits = limits
        self.submission_dir = submission_dir
        self.shared_dirs = list(shared_dirs)
        self.enabled = enabled
        self.cgroup = cgroup
        self.outbox = outbox
        self.kernel_dirs = [d for d in kernel_dirs if not shows(d)]
        self.switches_uid = enabled and as_root()  # else a user namespace, if enabled

    def command(self, argv):
        """Return argv wrapped so that it runs inside this sandbox."""
        grouped = self.cgroup.join_command() if self.cgroup else []
        if not self.enabled:
            return grouped + self._prlimit() + argv
        if self.outbox is None:
            start = f"{COPY_IN}; exec \"$@\""
            return grouped + self._bwrap() + self._prlimit() + self._setpriv() + [
                "sh", "-c", start, "sandbox"] + argv
        # A shell runs the program, then the copy to the outbox, out of the student's reach
        # (root, or the user namespace's process 1). All three steps run as the student.
        student = shlex.join(self._setpriv())  # empty in a user namespace: one uid only
        start = (f"outbox=$1; shift; {student} sh -c {shlex.quote(COPY_IN)}; "
                 f"{student} \"$@\"; status=$?; "
                 f"{student} sh -c {shlex.quote(COPY_OUT)} copy \"$outbox\"; exit $status")
        return grouped + self._bwrap() + self._prlimit() + [
            "sh", "-c", start, "sandbox", self.outbox] + argv

    def written_files_dir(self):
        """The host folder holding what the program left in its home directory, once it has
        ended: the outbox, or (unjailed) the submission's copy it ran in; None if neither."""
        return self.outbox if self.enabled else self.submission_dir

    def environment(self):
        """The only environment variables the program sees, jailed or not."""
        env = sandbox_environment()
        if not self.enabled:
            env.update(HOME=str(self.submission_dir), IPYTHONDIR=f"{self.submission_dir}/.ipython")
        return env

    def host_cwd(self):
        """The host directory to start the command from. Jailed, it starts in its home
        directory whatever this is; unjailed, it starts in the submission's copy."""
        return "/" if self.enabled else str(self.submission_dir)

    def _prlimit(self):
        lim = self.limits
        return [
            "prlimit",
            f"--as={lim.memory_bytes}",
            f"--cpu={lim.cpu_seconds}",
            f"--fsize={lim.file_bytes}",
            f"--nofile={lim.open_files}",
            f"--nproc={self._process_limit()}",
            "--core=0",
            "--",
        ]

    def _process_limit(self):
        """RLIMIT_NPROC counts the processes of the forking process's uid: a slot's own uid
        as root; in a user namespace since Linux 5.14, that namespace's alone; before, every
        process of the instructor, which must then be added to the sandbox's share."""
        if self.switches_uid or nproc_counted_per_namespace():
            return self.limits.processes
        return self.limits.processes + len(processes_of(os.getuid()))

    def _setpriv(self):
        if not self.switches_uid:
            return []  # no other uid to switch to
        return [
            "setpriv",
            f"--reuid={self.slot.uid}",
            f"--regid={self.slot.gid}",
            "--clear-groups",
            "--no-new-privs",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--",
        ]

    def _bwrap(self):
        args = ["bwrap", "--die-with-parent", "--new-session"]
        if not self.switches_uid:
            args += ["--unshare-user", "--uid", str(self.slot.uid), "--gid", str(self.slot.gid),
                     "--as-pid-1", "--cap-drop", "ALL", "--disable-userns"]
        args += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        args += ["--unshare-cgroup-try", "--hostname", "sandbox"]
        args += ["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev"]
        for name in SYSTEM_DIRS:
            if os.path.islink(f"/{name}"):
                args += ["--symlink", os.readlink(f"/{name}"), f"/{name}"]
            elif os.path.isdir(f"/{name}"):
                args += ["--ro-bind", f"/{name}", f"/{name}"]
        args += _readable_parents("/etc/ld.so.cache")
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
        size = str(self.limits.disk_bytes)
        args += ["--perms", "1777", "--size", size, "--tmpfs", "/tmp"]
        # POSIX semaphores and shared memory (multiprocessing, joblib) live in /dev/shm
        args += ["--perms", "1777", "--size", size, "--tmpfs", "/dev/shm"]
        args += ["--perms", "0755", "--dir", "/home"]
        args += ["--perms", "0777", "--size", size, "--tmpfs", HOME]
        # After the tmpfs mounts, so that a project or venv under /tmp stays visible.
        for path in python_paths():
            args += _readable_parents(path) + ["--ro-bind", path, path]
        for kernel_dir in self.kernel_dirs:
            args += _readable_parents(kernel_dir) + ["--ro-bind", kernel_dir, kernel_dir]
        if self.submission_dir is not None:
            args += ["--ro-bind", str(self.submission_dir), SUBMISSION]
        for shared in self.shared_dirs:
            args += _readable_parents(str(shared)) + ["--bind", str(shared), str(shared)]
        args += ["--chdir", HOME, "--clearenv"]
        for key, value in self.environment().items():
            args += ["--setenv", key, value]
        return args + ["--"]


def nproc_counted_per_namespace(release=None):
    """Whether this kernel (`platform.release()`) counts RLIMIT_NPROC per user namespace:
    Linux 5.14 and later."""
    numbers = re.match(r"(\d+)\.(\d+)", release or platform.release())
    return tuple(map(int, numbers.groups())) >= (5, 14) if numbers else True


def processes_of(uid):
    """Pids of the processes whose real uid is `uid`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            uid_line = next(line for line in status.read_text().splitlines()
                            if line.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        if int(uid_line.split()[1]) == uid:
            found.append(int(status.parent.name))
    return found


def python_paths():
    """Host directories the sandboxed Python needs: the interpreter, the venv, the other
    environments' package folders that `.pth` files put on the import path, and this project's
    importable packages other than `grading` (an editable install points into the repository).
    No other folder on the import path: the script's own, PYTHONPATH's or a repository's may
    hold the course directory."""
    paths = {sys.base_prefix, sys.prefix}
    for entry in sys.path:
        if Path(entry).name in ("site-packages", "dist-packages") and os.path.isdir(entry):
            paths.add(entry)
    project = Path(__file__).resolve().parents[2]
    for package in ("minilib",):
        if (project / package).is_dir():
            paths.add(str(project / package))
    return sorted(p for p in paths if not any(_inside(p, other) for other in paths))


def _inside(path, folder):
    return path != folder and Path(path).is_relative_to(folder)


def shows(path, kernel_dirs=()):
    """Whether a sandboxed program can read host `path` (links followed): it lies in the
    system directories, Python's (`python_paths`) or `kernel_dirs`.

        shows("/usr/bin/bash")   # True
        shows("/opt/R/bin/R")    # False: /opt is not in the sandbox
    """
    target = Path(path).resolve()
    roots = ["/usr", *(f"/{name}" for name in SYSTEM_DIRS), *python_paths(), *kernel_dirs]
    return any(target.is_relative_to(Path(root).resolve()) for root in roots)


def sandbox_environment():
    """Environment variables for student code: no secrets, one BLAS thread, no display."""
    venv_bin = os.path.join(sys.prefix, "bin")
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": HOME,
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
        "IPYTHONDIR": "/tmp/.ipython",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def _readable_parents(path):
    """bwrap creates missing parent directories as 0700, which the student uid cannot cross
    (e.g. /root for a pyenv Python): create them 0755 first, outside the sandbox's own mounts."""
    parent = Path(path).parent
    missing = [d for d in [*reversed(parent.parents), parent] if str(d) not in _MOUNTED]
    return [arg for d in missing for arg in ("--perms", "0755", "--dir", str(d))]


_MOUNTED = {"/", "/usr", "/tmp", "/home", "/proc", "/dev"}
