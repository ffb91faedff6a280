"""Keep generated datasets in the cache folder so that only the first load pays for them."""

import os
import tempfile
import zipfile

import numpy as np

from minilib.utils.file_utils import minilib_home, writable_dir


def cached_arrays(name, make):
    """The arrays saved as `<cache>/datasets/<name>.npz`, made by `make()` on the first call.

    `make` returns a dict of NumPy arrays. The file is written to a temporary name and
    then renamed, so an interrupted run never leaves a half-written cache behind.
    """
    folder = writable_dir(os.path.join(minilib_home(), "datasets"))
    path = os.path.join(folder, f"{name}.npz")
    if os.path.exists(path):
        try:
            with np.load(path) as saved:
                return {key: saved[key] for key in saved.files}
        except (OSError, ValueError, zipfile.BadZipFile):
            pass  # an unreadable cache file is simply made again
    arrays = make()
    handle, partial = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        np.savez(file, **arrays)
    os.replace(partial, path)
    return arrays
