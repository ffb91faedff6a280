"""How much does minilib's `fit` cost over a hand-written PyTorch loop (and Keras 3)?

All contenders train the same MLP (784-256-128-10, ReLU, Adam) on the same
20,000 random samples for 3 epochs, at batch sizes 128 and 32. Runs are
interleaved (torch, minilib, keras, torch, ...) so that a slow moment of the
machine hits every contender alike, and the median of the repeats is reported
as a ratio to the PyTorch loop. Keras runs in a child process (its backend is
chosen at import time) that times each run itself, so imports are not counted.

    python bench/fit_overhead.py                 # CPU, 5 repeats
    python bench/fit_overhead.py --device cuda   # on a GPU
    python bench/fit_overhead.py --repeats 7 --batch-sizes 128
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
from hand_written_loop import keras_adam, synchronize, train_by_hand

SAMPLES, FEATURES, CLASSES, EPOCHS = 20_000, 784, 10, 3


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((SAMPLES, FEATURES)).astype("float32")
    y = rng.integers(0, CLASSES, SAMPLES).astype("int64")
    return x, y


def time_torch_loop(x, y, batch_size, device):
    """The baseline: the same MLP trained by the loop in `hand_written_loop.py`."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(FEATURES, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, CLASSES),
    ).to(device)
    optimizer, loss_fn = keras_adam(model), torch.nn.CrossEntropyLoss()
    inputs, targets = torch.as_tensor(x), torch.as_tensor(y)
    synchronize(device)
    start = time.perf_counter()
    train_by_hand(model, optimizer, loss_fn, inputs, targets, EPOCHS, batch_size, device)
    synchronize(device)
    return time.perf_counter() - start


def time_minilib(x, y, batch_size, device):
    import minilib

    minilib.config.set_device(device)
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(FEATURES,)),
        minilib.layers.Dense(256, activation="relu"),
        minilib.layers.Dense(128, activation="relu"),
        minilib.layers.Dense(CLASSES),
    ])
    model.compile(optimizer=minilib.optimizers.Adam(1e-3),
                  loss=minilib.losses.SparseCategoricalCrossentropy(from_logits=True))
    synchronize(device)
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=EPOCHS, verbose=0)
    synchronize(device)
    return time.perf_counter() - start


KERAS_CHILD = r"""
import os, sys, time
import numpy as np
import torch
if os.environ.get("OMP_NUM_THREADS"):
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
import keras
x = np.load(sys.argv[1]); y = np.load(sys.argv[2])
for line in sys.stdin:
    batch_size = int(line)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(784,)),
                              keras.layers.Dense(256, activation="relu"),
                              keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=3, verbose=0)
    print(time.perf_counter() - start, flush=True)
"""


class KerasChild:
    """Keras 3 on its torch backend, in a child process that times each fit."""

    def __init__(self, x, y, device, workdir):
        np.save(os.path.join(workdir, "x.npy"), x)
        np.save(os.path.join(workdir, "y.npy"), y)
        env = {**os.environ, "KERAS_BACKEND": "torch"}
        if not device.startswith("cuda"):
            env["CUDA_VISIBLE_DEVICES"] = ""
        self.process = subprocess.Popen(
            [sys.executable, "-c", KERAS_CHILD, os.path.join(workdir, "x.npy"),
             os.path.join(workdir, "y.npy")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def time(self, batch_size):
        self.process.stdin.write(f"{batch_size}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the Keras child process died")
        return float(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def keras_available():
    check = subprocess.run([sys.executable, "-c", "import keras"], capture_output=True,
                           env={**os.environ, "KERAS_BACKEND": "torch"})
    return check.returncode == 0


def import_time(repeats):
    """Median seconds for `import minilib` in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import minilib; print(time.perf_counter() - t)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True).stdout) for _ in range(repeats)]
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[128, 32])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-keras", action="store_true")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice); "
                        "1 gives steadier numbers on a busy machine")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
        os.environ["OMP_NUM_THREADS"] = str(args.threads)  # for the Keras child process

    import tempfile

    x, y = make_data()
    use_keras = not args.no_keras and keras_available()
    results = {"device": args.device, "torch": torch.__version__, "threads":
               torch.get_num_threads(), "repeats": args.repeats, "batches": {}}
    with tempfile.TemporaryDirectory() as workdir:
        keras_child = KerasChild(x, y, args.device, workdir) if use_keras else None
        for batch_size in args.batch_sizes:
            times = {"torch": [], "minilib": [], "keras": []}
            time_minilib(x[:512], y[:512], batch_size, args.device)  # warm-up, not timed
            for _ in range(args.repeats):
                times["torch"].append(time_torch_loop(x, y, batch_size, args.device))
                times["minilib"].append(time_minilib(x, y, batch_size, args.device))
                if keras_child:
                    times["keras"].append(keras_child.time(batch_size))
            medians = {name: statistics.median(t) for name, t in times.items() if t}
            results["batches"][batch_size] = {
                "median_seconds": medians,
                "minilib_over_torch": medians["minilib"] / medians["torch"],
                **({"keras_over_torch": medians["keras"] / medians["torch"],
                    "minilib_over_keras": medians["minilib"] / medians["keras"]}
                   if "keras" in medians else {}),
            }
        if keras_child:
            keras_child.close()
    results["import_minilib_seconds"] = import_time(args.repeats)

    print(f"fit overhead on {args.device}, median of {args.repeats} interleaved runs "
          f"({SAMPLES} samples, {EPOCHS} epochs, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads)")
    print(f"{'batch':>6} {'torch s':>9} {'minilib s':>10} {'keras s':>9} "
          f"{'minilib/torch':>14} {'keras/torch':>12}")
    for batch_size, row in results["batches"].items():
        medians = row["median_seconds"]
        keras_time = f"{medians['keras']:9.2f}" if "keras" in medians else f"{'-':>9}"
        keras_ratio = f"{row['keras_over_torch']:12.2f}" if "keras" in medians else f"{'-':>12}"
        print(f"{batch_size:>6} {medians['torch']:9.2f} {medians['minilib']:10.2f} "
              f"{keras_time} {row['minilib_over_torch']:14.3f} {keras_ratio}")
    print(f"import minilib: {results['import_minilib_seconds']:.2f} s")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
