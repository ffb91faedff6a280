"""get_file: download a file once, keep it in a cache, check it and unpack it."""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile


def minilib_home():
    """The cache folder: `$MINILIB_HOME` if set, else `~/.minilib`."""
    return os.path.expanduser(os.environ.get("MINILIB_HOME") or os.path.join("~", ".minilib"))


def keras_home():
    """Keras's cache folder, chosen by Keras's rule, created if missing; return its path.

    `$KERAS_HOME` when that variable is set, else `~/.keras` (`/tmp/.keras` when the home
    folder is read-only). When the chosen folder cannot be created or written, Keras falls
    back to `/tmp/.keras`, and so does this function.

        >>> minilib.utils.file_utils.keras_home()   # with KERAS_HOME unset: ~/.keras
        '/.../.keras'
    """
    if "KERAS_HOME" in os.environ:
        folder = os.environ["KERAS_HOME"]
    else:
        home = os.path.expanduser("~")
        folder = os.path.join(home if os.access(home, os.W_OK) else _temp_root(), ".keras")
    folder = os.path.expanduser(folder)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        pass  # read-only or not a folder: the check below falls back
    if os.path.isdir(folder) and os.access(folder, os.W_OK):
        return folder
    fallback = os.path.join(_temp_root(), ".keras")
    os.makedirs(fallback, exist_ok=True)
    return fallback


def _temp_root():
    """Where Keras puts its cache when home is not writable: `/tmp`, or the system temp dir."""
    return "/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir()


def writable_dir(path):
    """Create `path` and return it; when that is not allowed, a folder under the temp dir."""
    try:
        os.makedirs(path, exist_ok=True)
        if os.access(path, os.W_OK):
            return path
    except OSError:
        pass
    fallback = os.path.join(tempfile.gettempdir(), ".minilib", os.path.basename(path))
    os.makedirs(fallback, exist_ok=True)
    return fallback


def hash_file(path, algorithm="sha256", chunk_size=1 << 16):
    """The hex digest of a file: `algorithm` is `"sha256"` or `"md5"`."""
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _resolve_algorithm(hash_algorithm, file_hash):
    if hash_algorithm == "auto":
        return "sha256" if len(file_hash) == 64 else "md5"
    if hash_algorithm not in ("sha256", "md5"):
        raise ValueError(f'hash_algorithm must be "auto", "sha256" or "md5", '
                         f"got {hash_algorithm!r}.")
    return hash_algorithm


def _download(origin, target, file_hash, algorithm):
    """Fetch `origin` into a temp file next to `target`, check it, then move it in place."""
    print(f"Downloading data from {origin}")
    by_hand = (f" To install it by hand, download that address on a machine that can reach "
               f"it and save the file as {target}, then call again.")
    handle, partial = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            try:
                with urllib.request.urlopen(origin, timeout=60) as response:
                    shutil.copyfileobj(response, out)
            except urllib.error.HTTPError as error:
                raise OSError(f"Could not download {origin}: HTTP {error.code} "
                              f"{error.reason}.{by_hand}") from error
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                raise OSError(f"Could not download {origin}: {reason}.{by_hand}") from error
        if file_hash is not None:
            actual = hash_file(partial, algorithm)
            if actual != file_hash:
                raise ValueError(f"The file downloaded from {origin} for "
                                 f"{os.path.basename(target)} is corrupted or changed: its "
                                 f"{algorithm} is {actual}, expected {file_hash}.")
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _extract(archive, destination, archive_format):
    """Unpack a tar or zip archive into `destination` (all or nothing); False if not one."""
    formats = {"auto": ["tar", "zip"], None: []}.get(archive_format, archive_format)
    formats = [formats] if isinstance(formats, str) else formats
    staging = tempfile.mkdtemp(dir=os.path.dirname(destination), suffix=".part")
    try:
        if "tar" in formats and tarfile.is_tarfile(archive):
            with tarfile.open(archive) as tar:
                tar.extractall(staging, filter="data")  # refuses paths leaving `staging`
        elif "zip" in formats and zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(staging)  # zipfile strips ".." and absolute paths
        else:
            return False
        if os.path.isdir(destination):
            shutil.rmtree(destination)
        os.replace(staging, destination)
        return True
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging)


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """Download `origin` into the cache unless it is already there; return the local path.

    The cache lives in `~/.minilib` (or `$MINILIB_HOME`); a second call with the
    same name finds the file there and downloads nothing. Pass `cache_dir=keras_home()`
    to share Keras's cache instead, as `minilib.datasets.mnist` and its siblings do.

    Args:
        fname: the file's name in the cache; by default the last part of the URL.
        origin: the URL to download from.
        untar: old spelling of `extract=True` for tar files.
        md5_hash: old spelling of `file_hash=..., hash_algorithm="md5"`.
        file_hash: the expected sha256 (or md5) hex digest. A fresh download that does
            not match raises `ValueError`; a cached file that does not match is fetched again.
        cache_subdir: folder inside the cache (`"datasets"`); an absolute path is used as is.
        hash_algorithm: `"sha256"`, `"md5"`, or `"auto"` (64 hex digits means sha256).
        extract: unpack a `.tar`, `.tar.gz`, `.tar.bz2` or `.zip` archive and return the
            folder it was unpacked into instead of the archive's path.
        archive_format: `"auto"`, `"tar"`, `"zip"` or None (never unpack).
        cache_dir: the cache folder; default `$MINILIB_HOME` or `~/.minilib`.
        force_download: download again even when the file is cached.

    Returns:
        The path of the file, or of the folder it was extracted to.

    Naming, as in Keras: `fname="flowers.tgz", extract=True` stores the archive as
    `flowers.tgz` and unpacks it into `flowers_extracted/`; a name without a dot,
    `fname="flowers"`, unpacks into `flowers/` and stores the archive as `flowers_archive`.

    Example, a download checked against its hash and unpacked (not run here: it needs
    the internet):

    >>> folder = minilib.utils.get_file(  # doctest: +SKIP
    ...     "flowers.tgz",
    ...     origin="https://example.com/data/flowers.tgz",
    ...     file_hash="3c1f...e9",   # its sha256 (64 hex digits) or md5 (32)
    ...     extract=True)            # unpacked into ~/.minilib/datasets/flowers_extracted/

    Example, with a `file://` address, which needs no network: the second call
    finds the file in the cache and downloads nothing.

    >>> import pathlib
    >>> _ = pathlib.Path("notes.txt").write_text("hello")
    >>> origin = pathlib.Path("notes.txt").resolve().as_uri()
    >>> minilib.utils.get_file("notes.txt", origin=origin, cache_dir="cache")
    Downloading data from file:///.../notes.txt
    'cache/datasets/notes.txt'
    >>> minilib.utils.get_file("notes.txt", origin=origin, cache_dir="cache")
    'cache/datasets/notes.txt'
    """
    if origin is None:
        raise ValueError("get_file needs `origin`, the URL of the file to download.")
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    algorithm = None if file_hash is None else _resolve_algorithm(hash_algorithm, file_hash)
    datadir = writable_dir(os.path.join(os.path.expanduser(cache_dir or minilib_home()),
                                        cache_subdir))

    named = bool(fname)
    fname = os.fspath(fname) if named else os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(f"Cannot tell a file name from origin={origin!r}; pass `fname`.")
    if os.sep in fname:
        raise ValueError(f"fname must be a plain file name, got {fname!r}; choose the folder "
                         f"with `cache_dir` or `cache_subdir`.")
    extract = extract or untar
    if untar:
        archive_format = "tar"
    target = os.path.join(datadir, fname)
    if extract and named and "." in fname:
        extraction_dir = os.path.join(datadir, fname[: fname.find(".")] + "_extracted")
    elif extract:
        extraction_dir = target
        target = os.path.join(datadir, fname + "_archive")

    cached = os.path.exists(target) and not force_download
    if cached and file_hash is not None and hash_file(target, algorithm) != file_hash:
        print(f"The cached {target} does not match the expected {algorithm} hash; "
              f"downloading it again.")
        cached = False
    if not cached:
        _download(origin, target, file_hash, algorithm)

    if not extract:
        return target
    if cached and os.path.isdir(extraction_dir):
        return extraction_dir
    if not _extract(target, extraction_dir, archive_format):
        raise ValueError(f"{target} (from {origin}) is not a {archive_format} archive "
                         f"that get_file can extract.")
    return extraction_dir
