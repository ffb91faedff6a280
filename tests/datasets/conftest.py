"""The `origin` fixture: Keras's dataset servers, imitated on 127.0.0.1 with tiny files.

Each test gets its own `KERAS_HOME` under `tmp_path` (so nothing touches the real
home), a fresh server holding the files of `keras_formats.write_all`, the loaders'
origins pointed at it, and the loaders' expected hashes set to those files' hashes.
"""

import dataclasses
import pathlib

import pytest

from minilib.datasets import (
    _keras_files,
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    imdb,
    mnist,
    reuters,
)
from minilib.utils.file_utils import hash_file
from tests.datasets import keras_formats

GCS, KRIZ = keras_formats.GCS, keras_formats.KRIZ
EXPECTED_HASHES = [  # (module, its constant, the file it checks, the algorithm)
    (mnist, "SHA256", f"{GCS}/mnist.npz", "sha256"),
    (cifar10, "SHA256", f"{KRIZ}/cifar-10-python.tar.gz", "sha256"),
    (cifar100, "SHA256", f"{KRIZ}/cifar-100-python.tar.gz", "sha256"),
    (imdb, "SHA256", f"{GCS}/imdb.npz", "sha256"),
    (imdb, "WORD_INDEX_MD5", f"{GCS}/imdb_word_index.json", "md5"),
    (reuters, "SHA256", f"{GCS}/reuters.npz", "sha256"),
    (reuters, "WORD_INDEX_MD5", f"{GCS}/reuters_word_index.json", "md5"),
    (boston_housing, "SHA256", f"{GCS}/boston_housing.npz", "sha256"),
    (california_housing, "SHA256", f"{GCS}/california_housing.npz", "sha256"),
]


@dataclasses.dataclass
class Origin:
    folder: pathlib.Path      # the served folder
    stored: dict              # {dataset: {name: array}}, what keras_formats wrote
    requests: list            # the paths asked for, in order
    url: str                  # http://127.0.0.1:PORT
    keras_home: pathlib.Path  # $KERAS_HOME for this test


@pytest.fixture
def origin(tmp_path, monkeypatch):
    folder = tmp_path / "origin"
    stored = keras_formats.write_all(folder)
    requests = []
    server = keras_formats.serve_folder(folder, requests)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setattr(_keras_files, "TF_KERAS_DATASETS", f"{url}/{GCS}/")
    monkeypatch.setattr(_keras_files, "CIFAR", f"{url}/{KRIZ}/")
    for module, constant, path, algorithm in EXPECTED_HASHES:
        monkeypatch.setattr(module, constant, hash_file(folder / path, algorithm))
    yield Origin(folder, stored, requests, url, tmp_path / "keras_home")
    server.shutdown()
    server.server_close()
