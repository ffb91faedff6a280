"""get_file against a web server on 127.0.0.1: cache, checksums, extraction, errors."""

import hashlib
import http.server
import io
import os
import tarfile
import threading
import zipfile

import pytest

from minilib.utils import file_utils, get_file
from minilib.utils.file_utils import keras_home


class Server:
    """Serves `files` (name -> bytes) and counts the requests for each name."""

    def __init__(self):
        self.files, self.requests = {}, []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.lstrip("/")
                server.requests.append(name)
                if name not in server.files:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(server.files[name])))
                self.end_headers()
                self.wfile.write(server.files[name])

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.01,),
                                       daemon=True)
        self.thread.start()

    def url(self, name):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{name}"


@pytest.fixture
def server():
    server = Server()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def read(path):
    with open(path, "rb") as file:
        return file.read()


def tar_bytes(members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


def test_download_then_cache_hit_without_a_second_request(server, tmp_path, capsys):
    server.files["hello.txt"] = b"hello world"
    sha256 = hashlib.sha256(b"hello world").hexdigest()
    path = get_file(origin=server.url("hello.txt"), file_hash=sha256, cache_dir=tmp_path)
    assert path == os.path.join(tmp_path, "datasets", "hello.txt")
    assert read(path) == b"hello world"
    assert get_file(origin=server.url("hello.txt"), file_hash=sha256, cache_dir=tmp_path) == path
    assert server.requests == ["hello.txt"]
    assert capsys.readouterr().out == f"Downloading data from {server.url('hello.txt')}\n"
    assert os.listdir(tmp_path / "datasets") == ["hello.txt"]  # no temporary file left


def test_default_cache_is_minilib_home(server, tmp_path, monkeypatch):
    monkeypatch.setenv("MINILIB_HOME", str(tmp_path))
    server.files["a.bin"] = b"\x00\x01"
    path = get_file("renamed.bin", origin=server.url("a.bin"), cache_subdir="mine")
    assert path == os.path.join(tmp_path, "mine", "renamed.bin")


def test_md5_hash_is_checked(server, tmp_path):
    server.files["data.csv"] = b"1,2\n"
    md5 = hashlib.md5(b"1,2\n").hexdigest()
    path = get_file(origin=server.url("data.csv"), md5_hash=md5, cache_dir=tmp_path)
    assert read(path) == b"1,2\n"


def test_bad_checksum_names_the_file_and_both_hashes(server, tmp_path):
    server.files["model.h5"] = b"tampered"
    expected = "0" * 64
    actual = hashlib.sha256(b"tampered").hexdigest()
    with pytest.raises(ValueError) as error:
        get_file(origin=server.url("model.h5"), file_hash=expected, cache_dir=tmp_path)
    assert "model.h5" in str(error.value) and expected in str(error.value)
    assert actual in str(error.value)
    assert os.listdir(tmp_path / "datasets") == []  # nothing half-checked is kept


def test_cached_file_with_a_wrong_hash_is_downloaded_again(server, tmp_path):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "notes.txt").write_bytes(b"old")
    server.files["notes.txt"] = b"new"
    sha256 = hashlib.sha256(b"new").hexdigest()
    path = get_file(origin=server.url("notes.txt"), file_hash=sha256, cache_dir=tmp_path)
    assert read(path) == b"new" and server.requests == ["notes.txt"]


def test_force_download_fetches_again(server, tmp_path):
    server.files["v.txt"] = b"one"
    path = get_file(origin=server.url("v.txt"), cache_dir=tmp_path)
    server.files["v.txt"] = b"two"
    assert read(get_file(origin=server.url("v.txt"), cache_dir=tmp_path)) == b"one"
    get_file(origin=server.url("v.txt"), cache_dir=tmp_path, force_download=True)
    assert read(path) == b"two" and server.requests == ["v.txt", "v.txt"]


def test_extract_tar_gz(server, tmp_path):
    server.files["pets.tar.gz"] = tar_bytes({"pets/cat.txt": b"meow", "pets/dog.txt": b"woof"})
    folder = get_file("pets.tar.gz", origin=server.url("pets.tar.gz"), extract=True,
                      cache_dir=tmp_path)
    assert folder == os.path.join(tmp_path, "datasets", "pets_extracted")
    assert read(os.path.join(folder, "pets", "dog.txt")) == b"woof"
    assert get_file("pets.tar.gz", origin=server.url("pets.tar.gz"), extract=True,
                    cache_dir=tmp_path) == folder
    assert server.requests == ["pets.tar.gz"]


def test_extract_zip_without_fname_and_untar(server, tmp_path):
    server.files["words.zip"] = zip_bytes({"a.txt": b"alpha"})
    folder = get_file(origin=server.url("words.zip"), extract=True, cache_dir=tmp_path)
    assert folder == os.path.join(tmp_path, "datasets", "words.zip")
    assert os.path.isfile(os.path.join(tmp_path, "datasets", "words.zip_archive"))
    assert read(os.path.join(folder, "a.txt")) == b"alpha"

    server.files["t.tar"] = tar_bytes({"b.txt": b"beta"})
    folder = get_file("letters", origin=server.url("t.tar"), untar=True, cache_dir=tmp_path)
    assert read(os.path.join(folder, "b.txt")) == b"beta"


def test_extracting_something_that_is_not_an_archive_fails_clearly(server, tmp_path):
    server.files["plain.txt"] = b"just text"
    with pytest.raises(ValueError, match="not a .* archive"):
        get_file(origin=server.url("plain.txt"), extract=True, cache_dir=tmp_path)


def test_unreachable_origin_names_the_url(server, tmp_path):
    missing = server.url("missing.bin")
    with pytest.raises(OSError, match="missing.bin.*404"):
        get_file(origin=missing, cache_dir=tmp_path)
    closed = "http://127.0.0.1:9/nothing.bin"  # the discard port: nobody listens there
    with pytest.raises(OSError, match="127.0.0.1:9/nothing.bin"):
        get_file(origin=closed, cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="origin"):
        get_file("x.txt", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="fname"):
        get_file(origin="http://127.0.0.1:9/", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="plain file name"):
        get_file("sub/x.txt", origin="http://127.0.0.1:9/x.txt", cache_dir=tmp_path)


def test_unreachable_origin_says_where_to_put_the_file_by_hand(tmp_path):
    with pytest.raises(OSError) as error:
        get_file("data.npz", origin="http://127.0.0.1:9/data.npz", cache_dir=tmp_path)
    target = os.path.join(tmp_path, "datasets", "data.npz")
    assert f"save the file as {target}, then call again" in str(error.value)


def test_keras_home_follows_keras_home_variable_then_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    assert keras_home() == str(tmp_path / "keras") and (tmp_path / "keras").is_dir()
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "ada"))
    (tmp_path / "ada").mkdir()
    assert keras_home() == str(tmp_path / "ada" / ".keras")


def test_keras_home_falls_back_to_tmp_when_it_cannot_be_written(tmp_path, monkeypatch):
    (tmp_path / "a_file").write_text("")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "a_file" / "keras"))  # cannot be created
    monkeypatch.setattr(file_utils, "_temp_root", lambda: str(tmp_path / "tmp"))
    assert keras_home() == str(tmp_path / "tmp" / ".keras")
    assert (tmp_path / "tmp" / ".keras").is_dir()
