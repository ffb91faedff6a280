"""Files as data: a directory packed into `{relative path: bytes}` and unpacked elsewhere.

A Dask worker may share no file system with `course autograde`, so a submission travels as
data: its prepared notebooks and staged files go to the worker in a parcel, and the executed
notebooks, kernel logs and outcome.json come back in one. Dask sends bytes as they are, with
no detour through text or JSON.

    files = pack("prepared/files")     # {"data/x.csv": b"1,2\\n", ...}
    unpack(files, "/tmp/job/files")    # the same tree, readable by the sandbox's uid
"""

from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A parcel named a file outside the directory it is unpacked into."""


def pack(directory, names=None):
    """Every regular file under `directory` (or only those in `names`), by path relative to
    it. Symbolic links are left out, never followed (`rglob` does not enter linked folders)."""
    directory = Path(directory)
    if names is not None:
        return {name: (directory / name).read_bytes() for name in names}
    return {path.relative_to(directory).as_posix(): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file() and not path.is_symlink()}


def unpack(files, directory):
    """Write `files` under `directory`: folders 0755 and files 0644, as the sandbox's uid
    must read them (`runner._stage_files` does the same)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o755)
    for name, data in files.items():
        target = directory / safe_relative(name)
        for folder in reversed(target.relative_to(directory).parents[:-1]):
            (directory / folder).mkdir(exist_ok=True)
            (directory / folder).chmod(0o755)
        target.write_bytes(data)
        target.chmod(0o644)


def safe_relative(name):
    """`name` as a relative path that stays inside its directory, or raise UnsafePath."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise UnsafePath(f"refusing to unpack {name!r}: not a path inside the job's directory")
    return path
