"""Real Keras's dataset loaders, run against a local server: `python keras_loaders.py URL OUT`.

Run with `KERAS_BACKEND=torch` and `KERAS_HOME` set to a temporary folder. Every
`get_file` call of Keras's dataset modules is redirected from Keras's addresses to
`URL` (which serves `tf-keras-datasets/` and `~kriz/`) without Keras's hashes, which
only the real files match. Reads the cases `[[dataset, function, kwargs], ...]` as
JSON from stdin and pickles the list of their results to `OUT`. Never imports minilib.
"""

import importlib
import json
import pickle
import sys

from keras.src.utils import file_utils

KERAS_ADDRESSES = {"https://storage.googleapis.com/tensorflow/tf-keras-datasets/":
                   "/tf-keras-datasets/", "https://www.cs.toronto.edu/~kriz/": "/~kriz/"}


def redirect_to(server):
    def get_file(fname=None, origin=None, file_hash=None, **options):
        for address, folder in KERAS_ADDRESSES.items():
            origin = origin.replace(address, server + folder)
        return file_utils.get_file(fname, origin=origin, **options)

    return get_file


def main(server, out):
    cases = json.load(sys.stdin)
    results = []
    for dataset, function, kwargs in cases:
        module = importlib.import_module(f"keras.src.datasets.{dataset}")
        module.get_file = redirect_to(server)
        results.append(getattr(module, function)(**kwargs))
    with open(out, "wb") as file:
        pickle.dump(results, file)


if __name__ == "__main__":
    main(*sys.argv[1:])
