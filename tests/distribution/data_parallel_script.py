"""The training script of the data-parallel tests: the same code on one or two processes.

Under torchrun (two processes, gloo on the CPU) the tests launch it for real:

    python -m torch.distributed.run --standalone --nproc-per-node=2 \\
        tests/distribution/data_parallel_script.py OUT_DIR

Each process r writes what it printed to `OUT_DIR/stdout_r.txt`, lets its callbacks
write into `OUT_DIR/files_r/`, and records its results in `OUT_DIR/results_r.json`.
The tests run `run_steps` in their own process, without a distribution, as the oracle.
"""

import contextlib
import json
import os
import pathlib
import sys

import numpy as np
import torch

import minilib
from minilib import distribution

FEATURES, CLASSES = 8, 3


def make_data():
    """101 training samples (batches of 16 leave 5, shared 3 + 2) and 37 for validation."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((138, FEATURES)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int64") + (x[:, 2] > 1).astype("int64")
    return (x[:101], y[:101]), (x[101:], y[101:])


def make_sequential():
    model = minilib.Sequential([
        minilib.Input(shape=(FEATURES,)),
        minilib.layers.Dense(16, activation="relu", kernel_regularizer="l2"),
        minilib.layers.Dense(CLASSES),
    ])
    return _compiled(model)


class TwoLayers(minilib.Model):
    """A subclassed model whose weights appear during its first call, with its own train_step."""

    def __init__(self):
        super().__init__()
        self.hidden = minilib.layers.Dense(8, activation="tanh")
        self.scores = minilib.layers.Dense(CLASSES)

    def call(self, inputs):
        return self.scores(self.hidden(inputs))

    def train_step(self, data):
        # As in Keras's guide "Customizing what happens in fit()" for the torch backend.
        x, y = data
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        self.zero_grad()
        loss.backward()
        weights = self.trainable_weights
        with torch.no_grad():
            self.optimizer.apply([weight.grad for weight in weights], weights)
        return self.compute_metrics(x, y, y_pred)


def _compiled(model):
    model.compile(optimizer=minilib.optimizers.SGD(learning_rate=0.1, momentum=0.9),
                  loss=minilib.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def run_steps(folder):
    """Everything the tests compare, with callbacks writing into `folder`."""
    (x, y), (x_val, y_val) = make_data()
    minilib.utils.set_random_seed(0)
    model = make_sequential()
    history = model.fit(
        x, y, batch_size=16, epochs=2, validation_data=(x_val, y_val), verbose=2,
        callbacks=[minilib.callbacks.ModelCheckpoint(str(folder / "ckpt-{epoch}.keras")),
                   minilib.callbacks.CSVLogger(str(folder / "log.csv"))])
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)  # a second fit makes a new DDP
    evaluation = model.evaluate(x_val, y_val, batch_size=10, verbose=0, return_dict=True)
    on_batch = {  # every process passes the same whole batch, as to fit
        "train": model.train_on_batch(x[:20], y[:20], return_dict=True),
        "test": model.test_on_batch(x_val[:9], y_val[:9], return_dict=True),
    }
    subclassed = _compiled(TwoLayers())
    subclassed.fit(x, y, batch_size=24, epochs=1, verbose=0)
    return {
        "history": history.history,
        "evaluation": evaluation,
        "on_batch": on_batch,
        "weights": [w.tolist() for w in model.get_weights()],
        "subclassed_weights": [w.tolist() for w in subclassed.get_weights()],
    }


def misconfiguration_errors():
    """The messages of calls whose batches can't be shared by two processes."""
    (x, y), _ = make_data()
    model = make_sequential()
    errors = {}
    for name, size, batch_size in (("batch_size_1", 101, 1), ("last_batch_1", 33, 16)):
        try:
            model.fit(x[:size], y[:size], batch_size=batch_size, verbose=0)
        except ValueError as error:
            errors[name] = str(error)
    try:
        model.test_on_batch(x[:1], y[:1])
    except ValueError as error:
        errors["one_sample_batch"] = str(error)
    return errors


def main(out_dir):
    distribution.set_distribution(distribution.DataParallel(
        devices=distribution.list_devices("cpu")))
    rank = distribution.distribution().data_shard_id
    folder = out_dir / f"files_{rank}"
    folder.mkdir()
    with open(out_dir / f"stdout_{rank}.txt", "w") as printed, \
            contextlib.redirect_stdout(printed):
        results = run_steps(folder)
        results["errors"] = misconfiguration_errors()
    results["num_processes"] = distribution.distribution().num_processes
    results["is_main_process"] = distribution.is_main_process()
    (out_dir / f"results_{rank}.json").write_text(json.dumps(results))


if __name__ == "__main__":
    if os.environ.get("OMP_NUM_THREADS"):
        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    main(pathlib.Path(sys.argv[1]))
