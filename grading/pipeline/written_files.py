"""Files a notebook writes while it is graded (a plot, a saved array, a CSV), brought back.

nbgrader executes a notebook in its `autograded/<student>/<assignment>/` folder, so what the
notebook writes stays there. Here it runs in a sandbox whose home directory vanishes with it:
when its kernel ends, the sandbox copies what it leaves in its home directory to an outbox
(`Sandbox.written_files_dir`), and `keep_written_files` copies from there into the job's
`executed/written/`, which `record` puts next to the autograded notebooks.

Everything in the outbox was made by student code, so it is read as untrusted:

* only regular files are kept; a symbolic link (to /etc/passwd, to a folder of the grader)
  is never followed, and is reported; so are fifos, sockets and devices;
* hidden files and folders (caches such as ~/.cache) and notebooks (which would be taken for
  graded ones) are left out, and so are files identical to those the sandbox was given;
* all the files of a submission together stay within `Limits.output_bytes`, as its outputs
  do: a file that would cross it is left out, and reported; so are files past the
  `MAX_FILES`th (each is written to disk and synced: a million tiny files would take hours).

    notes = keep_written_files(sandbox.written_files_dir(), "files/", "executed/", limits)
    # [["written files", "'link' is a symbolic link: not kept"], ...]
"""

import os
import stat
from pathlib import Path

from .. import atomic

WRITTEN_DIR = "written"
LABEL = "written files"
MAX_FILES = 1000  # per submission


def keep_written_files(written, staged, executed_dir, limit_bytes):
    """Copy the regular files under `written` (a host folder, or None) that are not in
    `staged` as they are into `executed_dir/written/`; return notes on what was left out."""
    target = Path(executed_dir) / WRITTEN_DIR
    earlier = [p.stat().st_size for p in target.rglob("*") if p.is_file()]
    used, count = sum(earlier), len(earlier)
    notes = []
    if written is None or not os.path.isdir(written):
        return notes
    for folder, dirnames, filenames, folder_fd in os.fwalk(written, follow_symlinks=False):
        relative_folder = Path(os.path.relpath(folder, written))
        for name in list(dirnames):
            if stat.S_ISLNK(os.stat(name, dir_fd=folder_fd, follow_symlinks=False).st_mode):
                notes.append([LABEL, f"'{relative_folder / name}' is a symbolic link: not kept"])
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in sorted(filenames):
            relative = relative_folder / name
            if name.startswith(".") or name.endswith(".ipynb"):
                continue
            data, problem = _read_regular(name, folder_fd, limit_bytes - used)
            if problem:
                notes.append([LABEL, f"'{relative}' {problem}: not kept"])
            elif not _same_as_staged(Path(staged) / relative, data):
                if count == MAX_FILES:
                    notes.append([LABEL, f"more than {MAX_FILES} files: the rest not kept"])
                    return notes
                atomic.write_bytes(target / relative, data)
                used, count = used + len(data), count + 1
    return notes


def _read_regular(name, folder_fd, budget):
    """(content, None) of a regular file; (None, why) for anything else or one too large."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder_fd)
    except OSError:  # ELOOP: a symbolic link
        return None, "is a symbolic link"
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None, "is not a regular file"
        if info.st_size > budget:
            return None, (f"({info.st_size} bytes) would exceed the limit on what a "
                          "submission keeps (output size limit)")
        data = f.read(budget + 1)
    if len(data) > budget:
        return None, "grew past the output size limit while it was read"
    return data, None


def _same_as_staged(path, data):
    try:
        return not path.is_symlink() and path.is_file() and path.read_bytes() == data
    except OSError:
        return False
