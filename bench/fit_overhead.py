"""How much does minilib's `fit` cost over a hand-written PyTorch loop (and Keras 3)?

All contenders train the same MLP (784-256-128-10, ReLU) on the same 20,000
random samples for 3 epochs, at batch sizes 128 and 32, with each of Adam, SGD
with momentum and AdamW (`optimizer_settings.py`). There are two PyTorch
baselines, the same loop (`hand_written_loop.py`) with torch's default
optimizer (naive) and with `foreach=True` (tuned). Runs are interleaved
(naive, tuned, minilib, keras, naive, ...) so that a slow moment of the
machine hits every contender alike, and the medians of the repeats are
reported as ratios, of wall-clock time and of the process's CPU time (steadier
on a shared machine, see `hand_written_loop.timed`). Keras runs in a child
process (its backend is chosen at import time) that times each run itself, so
imports are not counted.

    python bench/fit_overhead.py                 # CPU, 5 repeats
    python bench/fit_overhead.py --device cuda   # on a GPU
    python bench/fit_overhead.py --repeats 7 --batch-sizes 128 --optimizers adam
    python bench/fit_overhead.py --quick         # smoke run: small data, 1 repeat
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

import numpy as np
import torch
from hand_written_loop import medians_and_ratios, timed, train_by_hand
from optimizer_settings import NAMES, SETTINGS, keras_style_optimizer, torch_optimizer

SAMPLES, FEATURES, CLASSES, EPOCHS = 20_000, 784, 10, 3
QUICK_SAMPLES, QUICK_EPOCHS = 2_048, 1


def make_data(samples, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((samples, FEATURES)).astype("float32")
    y = rng.integers(0, CLASSES, samples).astype("int64")
    return x, y


def time_torch_loop(x, y, batch_size, epochs, optimizer_name, tuned, device, seconds):
    """A baseline: the same MLP trained by the loop in `hand_written_loop.py`."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(FEATURES, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, CLASSES),
    ).to(device)
    optimizer = torch_optimizer(optimizer_name, model.parameters(), tuned)
    loss_fn = torch.nn.CrossEntropyLoss()
    inputs, targets = torch.as_tensor(x), torch.as_tensor(y)
    with timed(device, seconds):
        train_by_hand(model, optimizer, loss_fn, inputs, targets, epochs, batch_size, device)


def time_minilib(x, y, batch_size, epochs, optimizer_name, device, seconds):
    import minilib

    minilib.config.set_device(device)
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(FEATURES,)),
        minilib.layers.Dense(256, activation="relu"),
        minilib.layers.Dense(128, activation="relu"),
        minilib.layers.Dense(CLASSES),
    ])
    model.compile(optimizer=keras_style_optimizer(minilib, optimizer_name),
                  loss=minilib.losses.SparseCategoricalCrossentropy(from_logits=True))
    with timed(device, seconds):
        model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0)


# Reads "batch_size epochs optimizer_name" lines, answers each with one fit's wall and CPU seconds.
KERAS_CHILD = r"""
import json, os, sys, time
import numpy as np
import torch
if os.environ.get("OMP_NUM_THREADS"):
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
import keras
x = np.load(sys.argv[1]); y = np.load(sys.argv[2]); settings = json.loads(sys.argv[3])
for line in sys.stdin:
    batch_size, epochs, optimizer_name = line.split()
    class_name, arguments = settings[optimizer_name]
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(784,)),
                              keras.layers.Dense(256, activation="relu"),
                              keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(10)])
    model.compile(optimizer=getattr(keras.optimizers, class_name)(**arguments),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(x, y, batch_size=int(batch_size), epochs=int(epochs), verbose=0)
    print(time.perf_counter() - wall, time.process_time() - cpu, flush=True)
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
             os.path.join(workdir, "y.npy"), json.dumps(SETTINGS)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def time(self, batch_size, epochs, optimizer_name, seconds):
        self.process.stdin.write(f"{batch_size} {epochs} {optimizer_name}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the Keras child process died")
        seconds.append(tuple(float(number) for number in line.split()))

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


def measure(x, y, batch_size, epochs, optimizer_name, repeats, device, keras_child):
    """Each contender's `repeats` interleaved runs, with medians and ratios per clock."""
    time_minilib(x[:512], y[:512], batch_size, 1, optimizer_name, device, [])  # warm-up
    times = {"naive": [], "tuned": [], "minilib": [], "keras": []}
    for _ in range(repeats):
        for tuned, name in ((False, "naive"), (True, "tuned")):
            time_torch_loop(x, y, batch_size, epochs, optimizer_name, tuned, device, times[name])
        time_minilib(x, y, batch_size, epochs, optimizer_name, device, times["minilib"])
        if keras_child:
            keras_child.time(batch_size, epochs, optimizer_name, times["keras"])
    return {"optimizer": optimizer_name, "batch_size": batch_size,
            "seconds": {name: runs for name, runs in times.items() if runs},
            **medians_and_ratios(times)}


def print_table(results):
    print(f"fit overhead on {results['device']}, median of {results['repeats']} interleaved "
          f"runs ({results['samples']} samples, {results['epochs']} epochs, torch "
          f"{results['torch']}, {results['threads']} threads)")
    print(f"{'optimizer':>9} {'batch':>6} {'clock':>5} {'naive s':>8} {'tuned s':>8} "
          f"{'minilib s':>10} {'keras s':>8} {'minilib/naive':>14} {'minilib/tuned':>14} "
          f"{'keras/tuned':>12}")
    for row in results["runs"]:
        for clock in ("wall", "cpu"):
            numbers = row[clock]
            medians = numbers["median_seconds"]
            keras_time = f"{medians['keras']:8.2f}" if "keras" in medians else f"{'-':>8}"
            keras_ratio = (f"{numbers['keras_over_tuned']:12.2f}" if "keras" in medians
                           else f"{'-':>12}")
            print(f"{row['optimizer']:>9} {row['batch_size']:>6} {clock:>5} "
                  f"{medians['naive']:8.2f} {medians['tuned']:8.2f} {medians['minilib']:10.2f} "
                  f"{keras_time} {numbers['minilib_over_naive']:14.3f} "
                  f"{numbers['minilib_over_tuned']:14.3f} {keras_ratio}")
    print(f"import minilib: {results['import_minilib_seconds']:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[128, 32])
    parser.add_argument("--optimizers", nargs="+", choices=NAMES, default=list(NAMES))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-keras", action="store_true")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice); "
                        "1 gives steadier numbers on a busy machine")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: {QUICK_SAMPLES} samples, {QUICK_EPOCHS} epoch, "
                        "1 repeat (the ratios are only indicative)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
        os.environ["OMP_NUM_THREADS"] = str(args.threads)  # for the Keras child process
    samples, epochs = (QUICK_SAMPLES, QUICK_EPOCHS) if args.quick else (SAMPLES, EPOCHS)
    repeats = 1 if args.quick else args.repeats

    import tempfile

    x, y = make_data(samples)
    use_keras = not args.no_keras and keras_available()
    results = {"device": args.device, "torch": torch.__version__, "threads":
               torch.get_num_threads(), "repeats": repeats, "samples": samples,
               "epochs": epochs, "runs": []}
    with tempfile.TemporaryDirectory() as workdir:
        keras_child = KerasChild(x, y, args.device, workdir) if use_keras else None
        for optimizer_name in args.optimizers:
            for batch_size in args.batch_sizes:
                results["runs"].append(measure(x, y, batch_size, epochs, optimizer_name,
                                               repeats, args.device, keras_child))
        if keras_child:
            keras_child.close()
    results["import_minilib_seconds"] = import_time(repeats)
    print_table(results)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
