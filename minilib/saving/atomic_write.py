"""Writing a file so that a crash can never leave half of it behind.

Saving straight into `model.keras` would destroy the previous good file the
moment writing starts; if the program then dies (an error, Ctrl-C, a full disk)
only a broken file is left. Instead::

    with atomic_write("model.keras") as file:   # really ".model.keras.<random>.tmp"
        file.write(data)
    # only now, complete and flushed to disk, does it take the name "model.keras"

1. write everything to a temporary file in the same directory;
2. `fsync` it, so its bytes are really on the disk, not just in a cache;
3. `os.replace` it onto the real name: one step that is either done or not;
4. `fsync` the directory, so the new name itself survives a power cut.

If anything fails before step 3, the temporary file is deleted and the old
file is untouched.
"""

import contextlib
import os
import secrets


@contextlib.contextmanager
def atomic_write(filepath):
    """Yield a binary file (readable and writable) that replaces `filepath` on success."""
    filepath = os.fspath(filepath)
    directory = os.path.dirname(os.path.abspath(filepath))
    temporary = os.path.join(
        directory, f".{os.path.basename(filepath)}.{secrets.token_hex(4)}.tmp")
    try:
        # "x": create a new file, never reuse one; "+": h5py needs to read back what it wrote.
        with open(temporary, "x+b") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, filepath)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory):
    if not hasattr(os, "O_DIRECTORY"):  # Windows cannot fsync a directory: skip that step
        return
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
