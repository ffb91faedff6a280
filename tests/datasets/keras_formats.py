"""Tiny copies of Keras's dataset files, written in the real formats, for a local server.

`write_all(folder)` lays them out as the real servers do (`tf-keras-datasets/...` and
`~kriz/...`) and returns the arrays it stored, so tests can check what the loaders read.
The bytes are the same on every call, so their hashes are too.
Ragged arrays and CIFAR batches are pickled as numpy 1 pickled them (the real files
name `numpy.core.multiarray`), so the compatibility path is what the tests exercise.
"""

import functools
import gzip
import http.server
import io
import json
import pickle
import tarfile
import threading
import zipfile

import numpy as np

GCS = "tf-keras-datasets"
KRIZ = "~kriz"
WORDS = ["the", "and", "a", "of", "to", "is", "br", "in", "it", "i", "this", "that", "was",
         "as", "for", "with", "movie", "but", "film", "on", "not", "you", "are", "his",
         "have", "he", "be", "one", "all", "at"]


def numpy1_pickle(value):
    """`value` pickled as numpy 1 did (protocol 3, `numpy.core.multiarray._reconstruct`)."""
    data = pickle.dumps(value, protocol=3)
    return data.replace(b"cnumpy._core.multiarray\n", b"cnumpy.core.multiarray\n")


def npz_bytes(**arrays):
    """An `.npz` archive; object arrays are stored as numpy 1 stored them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in arrays.items():
            npy = io.BytesIO()
            if array.dtype == object:
                np.lib.format.write_array_header_1_0(
                    npy, {"descr": "|O", "fortran_order": False, "shape": array.shape})
                npy.write(numpy1_pickle(array))
            else:
                np.lib.format.write_array(npy, array)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy"), npy.getvalue())  # dated 1980
    return buffer.getvalue()


def idx_gz_bytes(array):
    """A gzipped IDX file of uint8 values: magic `00 00 08 ndim`, big-endian sizes, data."""
    header = bytes([0, 0, 8, array.ndim]) + np.array(array.shape, ">i4").tobytes()
    return gzip.compress(header + array.astype(np.uint8).tobytes(), mtime=0)


def tar_gz_bytes(folder, members):
    """A `.tar.gz` holding `folder/` and `folder/<name>` for each member (name -> bytes)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(folder)
        info.type = tarfile.DIRTYPE
        tar.addfile(info)
        for name, data in members.items():
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), mtime=0)  # the same bytes on every run


def cifar_batch(images, **labels):
    """A CIFAR batch as the real ones: a pickled dict with byte-string keys."""
    batch = {b"batch_label": b"a tiny batch", b"data": images.reshape(len(images), 3072),
             b"filenames": [b"img_%d.png" % i for i in range(len(images))]}
    batch.update({key.encode(): list(map(int, value)) for key, value in labels.items()})
    return numpy1_pickle(batch)


def ragged(rng, count, vocabulary):
    """`count` lists of word ranks 1..vocabulary, of lengths 2 to 9, as an object array."""
    sequences = np.empty(count, dtype=object)
    for i in range(count):
        sequences[i] = [int(w) for w in rng.randint(1, vocabulary + 1, rng.randint(2, 10))]
    return sequences


def write_all(folder):
    """Write every file into `folder`; return `{dataset: {array name: array}}`."""
    rng = np.random.RandomState(0)
    (folder / GCS).mkdir(parents=True)
    (folder / KRIZ).mkdir()
    stored = {}

    mnist = {"x_train": rng.randint(0, 256, (6, 28, 28)).astype(np.uint8),
             "y_train": rng.randint(0, 10, 6).astype(np.uint8),
             "x_test": rng.randint(0, 256, (4, 28, 28)).astype(np.uint8),
             "y_test": rng.randint(0, 10, 4).astype(np.uint8)}
    (folder / GCS / "mnist.npz").write_bytes(npz_bytes(**mnist))
    stored["mnist"] = mnist

    fashion = {"x_train": rng.randint(0, 256, (5, 28, 28)), "y_train": rng.randint(0, 10, 5),
               "x_test": rng.randint(0, 256, (3, 28, 28)), "y_test": rng.randint(0, 10, 3)}
    for part, prefix in (("train", "train"), ("test", "t10k")):
        (folder / GCS / f"{prefix}-images-idx3-ubyte.gz").write_bytes(
            idx_gz_bytes(fashion[f"x_{part}"]))
        (folder / GCS / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(
            idx_gz_bytes(fashion[f"y_{part}"]))
    stored["fashion_mnist"] = fashion

    # Keras fills CIFAR-10 into arrays sized for 10,000 images per batch: with one image
    # per batch, NumPy broadcasting lets real Keras read these files too.
    cifar10 = {"x_train": rng.randint(0, 256, (5, 3, 32, 32)).astype(np.uint8),
               "y_train": rng.randint(0, 10, 5),
               "x_test": rng.randint(0, 256, (3, 3, 32, 32)).astype(np.uint8),
               "y_test": rng.randint(0, 10, 3)}
    members = {f"data_batch_{i + 1}": cifar_batch(cifar10["x_train"][i: i + 1],
                                                  labels=cifar10["y_train"][i: i + 1])
               for i in range(5)}
    members["test_batch"] = cifar_batch(cifar10["x_test"], labels=cifar10["y_test"])
    members["batches.meta"] = numpy1_pickle({b"label_names": [b"airplane", b"automobile"]})
    (folder / KRIZ / "cifar-10-python.tar.gz").write_bytes(
        tar_gz_bytes("cifar-10-batches-py", members))
    stored["cifar10"] = cifar10

    cifar100 = {}
    for part, count in (("train", 5), ("test", 3)):
        cifar100[f"x_{part}"] = rng.randint(0, 256, (count, 3, 32, 32)).astype(np.uint8)
        cifar100[f"fine_{part}"] = rng.randint(0, 100, count)
        cifar100[f"coarse_{part}"] = rng.randint(0, 20, count)
    members = {part: cifar_batch(cifar100[f"x_{part}"], fine_labels=cifar100[f"fine_{part}"],
                                 coarse_labels=cifar100[f"coarse_{part}"])
               for part in ("train", "test")}
    members["meta"] = numpy1_pickle({b"fine_label_names": [b"apple"]})
    (folder / KRIZ / "cifar-100-python.tar.gz").write_bytes(
        tar_gz_bytes("cifar-100-python", members))
    stored["cifar100"] = cifar100

    imdb = {"x_train": ragged(rng, 12, len(WORDS)), "y_train": rng.randint(0, 2, 12),
            "x_test": ragged(rng, 8, len(WORDS)), "y_test": rng.randint(0, 2, 8)}
    (folder / GCS / "imdb.npz").write_bytes(npz_bytes(**imdb))
    word_index = json.dumps({word: rank for rank, word in enumerate(WORDS, start=1)})
    (folder / GCS / "imdb_word_index.json").write_text(word_index)
    stored["imdb"] = imdb

    reuters = {"x": ragged(rng, 20, len(WORDS)), "y": rng.randint(0, 46, 20)}
    (folder / GCS / "reuters.npz").write_bytes(npz_bytes(**reuters))
    (folder / GCS / "reuters_word_index.json").write_text(word_index)
    stored["reuters"] = reuters

    boston = {"x": rng.uniform(0, 100, (30, 13)), "y": rng.uniform(5, 50, 30)}
    (folder / GCS / "boston_housing.npz").write_bytes(npz_bytes(**boston))
    stored["boston_housing"] = boston

    california = {"x": rng.uniform(-120, 40, (650, 8)).astype(np.float32),
                  "y": rng.uniform(2e4, 5e5, 650).astype(np.float32)}
    (folder / GCS / "california_housing.npz").write_bytes(npz_bytes(**california))
    stored["california_housing"] = california
    return stored


def serve_folder(folder, requests):
    """Start a threaded HTTP server for `folder` on a free port; append each path asked for
    to `requests`. Stop it with `server.shutdown(); server.server_close()`."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            super().do_GET()

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    return server
