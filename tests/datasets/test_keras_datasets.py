"""minilib's Keras datasets return exactly what real Keras 3 returns from the same files.

The module fixture serves the tiny files of `keras_formats` on 127.0.0.1 and runs
real Keras's loaders on them once, in a subprocess (`keras_loaders.py`, Keras on its
torch backend, with its own KERAS_HOME). Each test runs minilib's loader with the same
arguments against an identical server and compares dtypes, shapes and values. The last
test points minilib at the cache Keras filled: it must find every file there.
"""

import importlib.util
import json
import os
import pathlib
import pickle
import shutil
import subprocess
import sys

import numpy as np
import pytest

from minilib import datasets
from minilib.datasets import _keras_files
from tests.datasets import keras_formats

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("keras") is None,
                       reason="real Keras is not installed (pip install -e '.[bench]')"),
]

HERE = pathlib.Path(__file__).parent
CASES = [
    ("mnist", "load_data", {}),
    ("fashion_mnist", "load_data", {}),
    ("cifar10", "load_data", {}),
    ("cifar100", "load_data", {"label_mode": "fine"}),
    ("cifar100", "load_data", {"label_mode": "coarse"}),
    ("imdb", "load_data", {}),
    ("imdb", "load_data", {"num_words": 12, "skip_top": 4}),
    ("imdb", "load_data", {"maxlen": 7, "seed": 3}),
    ("imdb", "load_data", {"start_char": None, "oov_char": None, "index_from": 0,
                           "num_words": 20}),
    ("imdb", "load_data", {"start_char": 5, "oov_char": None, "index_from": 2, "skip_top": 3}),
    ("imdb", "load_data", {"start_char": None, "index_from": 1, "num_words": 15,
                           "oov_char": 7}),
    ("imdb", "get_word_index", {}),
    ("reuters", "load_data", {}),
    ("reuters", "load_data", {"num_words": 10, "skip_top": 2, "test_split": 0.35, "seed": 7}),
    ("reuters", "load_data", {"maxlen": 6, "oov_char": None}),
    ("reuters", "load_data", {"start_char": None, "index_from": 0}),
    ("reuters", "get_word_index", {}),
    ("reuters", "get_label_names", {}),
    ("boston_housing", "load_data", {}),
    ("boston_housing", "load_data", {"test_split": 0.3, "seed": 2}),
    ("california_housing", "load_data", {}),
    ("california_housing", "load_data", {"version": "small", "test_split": 0.1, "seed": 5}),
]


@pytest.fixture(scope="module")
def keras_run(tmp_path_factory):
    """Real Keras's results for CASES, and the KERAS_HOME it downloaded into."""
    folder = tmp_path_factory.mktemp("keras_datasets")
    keras_formats.write_all(folder / "origin")
    server = keras_formats.serve_folder(folder / "origin", [])
    environment = {**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1",
                   "KERAS_HOME": str(folder / "keras_home")}
    try:
        result = subprocess.run(
            [sys.executable, str(HERE / "keras_loaders.py"),
             f"http://127.0.0.1:{server.server_address[1]}", str(folder / "results.pickle")],
            input=json.dumps(CASES), cwd=HERE, env=environment, capture_output=True, text=True,
            timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, f"real Keras failed:\n{result.stderr[-3000:]}"
    with open(folder / "results.pickle", "rb") as file:
        return pickle.load(file), folder / "keras_home"


def assert_same(mine, theirs):
    assert type(mine) is type(theirs)
    if isinstance(mine, tuple | list):
        assert len(mine) == len(theirs)
        for a, b in zip(mine, theirs, strict=True):
            assert_same(a, b)
    elif isinstance(mine, np.ndarray):
        assert (mine.dtype, mine.shape) == (theirs.dtype, theirs.shape)
        if mine.dtype == object:
            for a, b in zip(mine.ravel(), theirs.ravel(), strict=True):
                assert_same(a, b)
        else:
            np.testing.assert_array_equal(mine, theirs)
    else:
        assert mine == theirs


@pytest.mark.parametrize("case", range(len(CASES)),
                         ids=[f"{d}.{f}{k or ''}" for d, f, k in CASES])
def test_same_as_keras(origin, keras_run, case):
    dataset, function, kwargs = CASES[case]
    mine = getattr(getattr(datasets, dataset), function)(**kwargs)
    theirs = keras_run[0][case]
    if dataset == "cifar10":
        # Keras sizes CIFAR-10's training arrays for 5 batches of 10,000 images; our
        # batches hold one image each, which NumPy repeats 10,000 times.
        (x_train, y_train), test = theirs
        assert x_train.shape == (50000, 32, 32, 3) and y_train.shape == (50000, 1)
        theirs = (x_train[::10000], y_train[::10000]), test
    assert_same(mine, theirs)


def test_minilib_finds_every_file_keras_downloaded(origin, keras_run, monkeypatch, tmp_path):
    shutil.copytree(keras_run[1], tmp_path / "shared_home")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "shared_home"))
    for dataset, function, kwargs in CASES:
        getattr(getattr(datasets, dataset), function)(**kwargs)
    assert origin.requests == []


@pytest.mark.parametrize("dataset", ["mnist", "cifar10", "cifar100", "imdb", "reuters",
                                     "boston_housing", "california_housing"])
def test_hashes_and_addresses_are_keras_own(dataset):
    keras_folder = importlib.util.find_spec("keras").submodule_search_locations[0]
    source = pathlib.Path(keras_folder, "src", "datasets", f"{dataset}.py").read_text()
    module = getattr(datasets, dataset)
    for constant in ("SHA256", "WORD_INDEX_MD5"):
        if hasattr(module, constant):
            assert f'"{getattr(module, constant)}"' in source
    address = _keras_files.CIFAR if "cifar" in dataset else _keras_files.TF_KERAS_DATASETS
    assert address in source
