"""Fixtures for the application tests.

`keras_small` and `keras_architectures` run `keras_side.py` (real Keras, torch backend)
once per test session each and return its answers. `storage` stands in for Keras's
storage bucket: a server on 127.0.0.1 serves a folder, every download of the
applications goes there instead, and the test can see what was asked for.
"""

import dataclasses
import functools
import http.server
import json
import os
import pathlib
import subprocess
import sys
import threading

import pytest

from minilib.applications import imagenet_utils
from minilib.utils.file_utils import hash_file

HERE = pathlib.Path(__file__).parent


def serve_folder(folder, served):
    """A threaded HTTP server for `folder` on a free port of 127.0.0.1; each path asked
    for is appended to `served`. Stop it with `shutdown()` and `server_close()`."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            served.append(self.path)
            super().do_GET()

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    return server


def run_keras(task, folder):
    environment = {**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, str(HERE / "keras_side.py"), task, str(folder)],
                            cwd=HERE, env=environment, capture_output=True, text=True,
                            timeout=500)
    assert result.returncode == 0, f"the Keras side failed:\n{result.stderr[-3000:]}"


@pytest.fixture(scope="session")
def keras_small(tmp_path_factory):
    """`(folder, report)`: Keras's files and predictions, and `small.json` read."""
    folder = tmp_path_factory.mktemp("keras_small")
    run_keras("small", folder)
    return folder, json.loads((folder / "small.json").read_text())


@pytest.fixture(scope="session")
def keras_architectures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keras_architectures")
    run_keras("architectures", folder)
    return json.loads((folder / "architectures.json").read_text())


@dataclasses.dataclass
class Storage:
    requests: list = dataclasses.field(default_factory=list)  # what get_file was asked for
    served: list = dataclasses.field(default_factory=list)    # the paths the server sent
    keras_home: pathlib.Path = None
    keep_hashes: bool = False  # True: check the files against Keras's real hashes


@pytest.fixture
def storage(tmp_path, monkeypatch):
    """Call `storage.serve(folder)`: downloads then fetch `folder/<file name>` from 127.0.0.1.

    The expected hash given to get_file becomes the served file's md5 (unless
    `keep_hashes`); `storage.requests` keeps the name, address and hash asked for.
    """
    state = Storage(keras_home=tmp_path / "keras_home")
    monkeypatch.setenv("KERAS_HOME", str(state.keras_home))
    servers = []
    real_get_file = imagenet_utils.get_file

    def serve(folder):
        server = serve_folder(folder, state.served)
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_address[1]}"

        def get_file(fname, origin, cache_dir=None, cache_subdir="datasets", file_hash=None):
            state.requests.append({"fname": fname, "origin": origin,
                                   "cache_subdir": cache_subdir, "file_hash": file_hash})
            name = origin.rsplit("/", 1)[1]
            if file_hash is not None and not state.keep_hashes:
                file_hash = hash_file(folder / name, "md5")
            return real_get_file(fname, f"{url}/{name}", cache_dir=cache_dir,
                                 cache_subdir=cache_subdir, file_hash=file_hash)

        monkeypatch.setattr(imagenet_utils, "get_file", get_file)
        return state

    state.serve = serve
    yield state
    for server in servers:
        server.shutdown()
        server.server_close()
