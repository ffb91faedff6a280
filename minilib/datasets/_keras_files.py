"""Fetch Keras's dataset files into Keras's cache, and read their formats.

Shared by the loaders that mirror `keras.datasets` (`mnist`, `cifar10`, `imdb`, ...).
The files come from the same addresses as in Keras, keep Keras's names and land in
Keras's cache, `~/.keras/datasets` (or `$KERAS_HOME/datasets`), so that Keras and
minilib share one copy:

    >>> path = fetch("mnist.npz", TF_KERAS_DATASETS + "mnist.npz",  # doctest: +SKIP
    ...              file_hash="731c...d1")
    >>> path  # doctest: +SKIP
    '/home/ada/.keras/datasets/mnist.npz'

The origins are read when a loader runs, so a test (or a classroom mirror) can point
`TF_KERAS_DATASETS` and `CIFAR` at another server.
"""

import gzip
import io
import pickle
import zipfile

import numpy as np

from minilib.utils.file_utils import get_file, keras_home

TF_KERAS_DATASETS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CIFAR = "https://www.cs.toronto.edu/~kriz/"

# Ragged datasets (IMDB, Reuters, CIFAR batches) are stored as pickles, and a pickle can
# run any code while it loads. Rebuilding NumPy arrays needs only these globals (numpy 1
# wrote `numpy.core`, numpy 2 writes `numpy._core`), so anything else is refused.
_NUMPY_ARRAY_GLOBALS = {("numpy", "ndarray"), ("numpy", "dtype"),
                        ("numpy.core.multiarray", "_reconstruct"),
                        ("numpy._core.multiarray", "_reconstruct")}


def fetch(fname, origin, file_hash=None, **get_file_options):
    """`get_file` into Keras's cache folder; return the local path (see `get_file`)."""
    return get_file(fname, origin=origin, file_hash=file_hash, cache_dir=keras_home(),
                    **get_file_options)


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """Unpickles NumPy arrays and plain Python values, and refuses every other global."""

    def __init__(self, file, source, encoding):
        super().__init__(file, encoding=encoding)
        self.source = source

    def find_class(self, module, name):
        if (module, name) in _NUMPY_ARRAY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to load {module}.{name} from {self.source}: a dataset file should "
            f"hold only NumPy arrays, so it is corrupted or was tampered with.")


def unpickle_arrays(file, source, encoding="ASCII"):
    """Load a pickle that may hold only NumPy arrays, lists, dicts, numbers and strings.

    `source` names the file in error messages. `encoding="bytes"` reads pickles
    written by Python 2, as CIFAR's are.
    """
    return _NumpyOnlyUnpickler(file, source, encoding).load()


def read_npz(path):
    """The arrays of an `.npz` file as a dict; object arrays (ragged lists) are allowed.

    Numeric arrays load with pickles disabled; object arrays through `unpickle_arrays`.
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                npy = io.BytesIO(archive.read(member))
                arrays[member[: -len(".npy")]] = _read_npy(npy, f"{path} ({member})")
    return arrays


def _read_npy(npy, source):
    version = np.lib.format.read_magic(npy)
    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                   else np.lib.format.read_array_header_2_0)  # 3.0 differs only in text encoding
    _, _, dtype = read_header(npy)
    if dtype.hasobject:
        return unpickle_arrays(npy, source)  # after the header comes the pickled array
    npy.seek(0)
    return np.lib.format.read_array(npy, allow_pickle=False)


def read_idx_gz(path):
    """A gzipped IDX file (MNIST's original format) as a uint8 array of the shape it declares.

    The header is two zero bytes, a type code (8 for unsigned bytes), the number of
    dimensions, and then each dimension as a big-endian int32.
    """
    with gzip.open(path, "rb") as file:
        data = file.read()
    if data[:3] != b"\x00\x00\x08":
        raise ValueError(f"{path} is not an IDX file of unsigned bytes: it starts with "
                         f"{data[:4]!r}, expected b'\\x00\\x00\\x08' and a dimension count.")
    ndim = data[3]
    shape = np.frombuffer(data, ">i4", count=ndim, offset=4).tolist()
    return np.frombuffer(bytearray(data), np.uint8, offset=4 + 4 * ndim).reshape(shape)


def read_cifar_batch(path, label_key="labels"):
    """One CIFAR batch file: images as uint8 `(n, 3, 32, 32)` and the list of labels.

    Each batch is a Python 2 pickle of a dict with byte-string keys: `b"data"` holds
    one row of 3072 bytes per image (1024 red, then green, then blue, row by row).
    """
    with open(path, "rb") as file:
        batch = unpickle_arrays(file, path, encoding="bytes")
    batch = {key.decode("utf8"): value for key, value in batch.items()}
    data = batch["data"]
    return data.reshape(len(data), 3, 32, 32), batch[label_key]


def shuffled(rng, *arrays):
    """The arrays, each reordered by the same permutation drawn from `rng` (a RandomState)."""
    order = np.arange(len(arrays[0]))
    rng.shuffle(order)
    return tuple(array[order] for array in arrays)


def check_test_split(test_split):
    """Raise unless `0 <= test_split < 1`, the fraction of samples kept for testing."""
    if not 0 <= test_split < 1:
        raise ValueError(f"test_split must be at least 0 and below 1 (the fraction of samples "
                         f"kept for testing), got {test_split}.")


def shuffle_and_split(x, y, test_split, seed):
    """Shuffle `x` and `y` together (seeded), then keep their last `test_split` for testing.

    Returns `(x_train, y_train), (x_test, y_test)`.
    """
    x, y = shuffled(np.random.RandomState(seed), x, y)
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
