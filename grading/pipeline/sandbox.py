"""The jail student code runs in: bubblewrap namespaces, an unprivileged uid, resource limits.

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

It runs as a dedicated non-root uid (one per parallel worker, `Slot`), because Linux only
enforces the process-count limit for ordinary users. `prlimit` caps address space, CPU seconds,
file size, open files and processes before `setpriv` drops root and every capability. The
sandbox as a whole (all its processes together) is capped in memory and processes by its
slot's cgroup, where the machine allows (`grading.pipeline.cgroup`).
"""

import os
import pwd
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


def require_sandbox(workers):
    """Raise SandboxUnavailable unless bwrap can jail code here as `workers` distinct uids."""
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(
            "bubblewrap is not installed (apt-get install bubblewrap, or `make install`)"
        )
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "grading must run as root: student code is switched to unprivileged uids "
            f"{FIRST_UID}..{FIRST_UID + workers - 1}, and only root can do that"
        )
    for slot in map(Slot, range(workers)):
        try:
            owner = pwd.getpwuid(slot.uid).pw_name
        except KeyError:
            continue
        raise SandboxUnavailable(
            f"uid {slot.uid} belongs to account '{owner}'; choose unused uids with "
            "COURSE_SANDBOX_FIRST_UID"
        )
    probe = subprocess.run(
        Sandbox(Slot(0), Limits(), submission_dir=None).command(["true"]),
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        raise SandboxUnavailable(f"bwrap cannot start a sandbox here: {probe.stderr.strip()}")


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

    def command(self, argv):
        """Return argv wrapped so that it runs inside this sandbox."""
        grouped = self.cgroup.join_command() if self.cgroup else []
        if not self.enabled:
            return grouped + self._prlimit() + argv
        if self.outbox is None:
            start = f"{COPY_IN}; exec \"$@\""
            return grouped + self._bwrap() + self._prlimit() + self._setpriv() + [
                "sh", "-c", start, "sandbox"] + argv
        # A shell that stays root runs the program, then the copy to the outbox: student code
        # cannot kill it (another uid) to end the sandbox early. All three run as the student.
        student = shlex.join(self._setpriv())
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
            f"--nproc={lim.processes}",
            "--core=0",
            "--",
        ]

    def _setpriv(self):
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


def python_paths():
    """Host directories the sandboxed Python needs: the interpreter, the venv, this project's
    importable packages other than `grading` (an editable install points into the repository)."""
    paths = {sys.base_prefix, sys.prefix}
    project = Path(__file__).resolve().parents[2]
    for package in ("minilib",):
        if (project / package).is_dir():
            paths.add(str(project / package))
    return sorted(paths)


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
