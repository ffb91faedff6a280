"""Data parallelism: how much faster is `fit` on 2 processes than on 1?

The same small MLP (256-256-256-10, ReLU, Adam) trains on the same random samples with the
same global batch size, once by a plain `python` process and once by `torchrun` with
several processes (minilib's `DataParallel`: each process takes its slice of every
batch, DDP averages the gradients). Only `fit` is timed, inside the processes, not their
start. Runs alternate (1 process, N processes, 1, N, ...) so that a busy moment of the
machine hits both alike; the table shows medians and the ratio N-process time / 1-process
time (below 1 is a speed-up). The final losses are printed too: they should agree.

    python bench/data_parallel.py                        # CPU: 1 vs 2 processes, gloo
    python bench/data_parallel.py --device cuda          # GPU: 1 vs all GPUs, NCCL
    python bench/data_parallel.py --device cuda --processes 1   # one GPU: DDP's overhead
    python bench/data_parallel.py --repeats 5 --samples 16384 --batch-size 512

On a CPU each process uses `--threads` threads (default 1), so 2 processes use twice the
cores of 1: that is the point of data parallelism on a CPU. With one GPU, `--processes 1`
compares a plain run with a `torchrun` run of one process, which still goes through
DistributedDataParallel and NCCL: what the machinery itself costs.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

FEATURES, CLASSES = 256, 10


def worker(args):
    """One training run (on this process, or as one of torchrun's); process 0 writes the time."""
    import numpy as np
    import torch

    import minilib

    torch.set_num_threads(args.threads)
    minilib.config.set_device(args.device)
    minilib.distribution.set_distribution(minilib.distribution.DataParallel())
    rng = np.random.default_rng(0)
    x = rng.standard_normal((args.samples, FEATURES)).astype("float32")
    y = rng.integers(0, CLASSES, args.samples)
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(FEATURES,)),
        minilib.layers.Dense(256, activation="relu"),
        minilib.layers.Dense(256, activation="relu"),
        minilib.layers.Dense(256, activation="relu"),
        minilib.layers.Dense(CLASSES),
    ])
    model.compile(optimizer="adam",
                  loss=minilib.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x[:args.batch_size * 4], y[:args.batch_size * 4], batch_size=args.batch_size,
              verbose=0)  # warm-up: first calls, DDP's buckets, CUDA kernels
    _wait_for_all(args.device)
    start = time.perf_counter()
    history = model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, verbose=0)
    _wait_for_all(args.device)
    seconds = time.perf_counter() - start
    if minilib.distribution.is_main_process():
        with open(args.result_file, "w") as file:
            json.dump({"seconds": seconds, "loss": history.history["loss"][-1]}, file)


def _wait_for_all(device):
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()
    if torch.distributed.is_initialized():
        torch.distributed.barrier()


def time_run(processes, args, result_file):
    """Run one training in fresh processes; returns (fit seconds, final loss)."""
    worker_args = [__file__, "--worker", "--result-file", result_file, "--device", args.device,
                   "--threads", str(args.threads), "--samples", str(args.samples),
                   "--batch-size", str(args.batch_size), "--epochs", str(args.epochs)]
    if processes == 0:  # a plain process: no torchrun, no process group
        command = [sys.executable, *worker_args]
    else:
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
                   f"--nproc-per-node={processes}", *worker_args]
    env = {**os.environ, "OMP_NUM_THREADS": str(args.threads)}
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    with open(result_file) as file:
        result = json.load(file)
    return result["seconds"], result["loss"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu (gloo) or cuda (NCCL)")
    parser.add_argument("--processes", type=int,
                        help="processes of the data-parallel run (default: 2 on CPU, every "
                             "GPU on cuda)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch threads per process")
    parser.add_argument("--samples", type=int, default=8192)
    parser.add_argument("--batch-size", type=int, default=256, help="global batch size")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    import torch

    processes = args.processes or (torch.cuda.device_count() if args.device == "cuda" else 2)
    runs = {"1 process": [], f"{processes} processes (torchrun)": []}
    losses = {name: None for name in runs}
    with tempfile.TemporaryDirectory() as workdir:
        result_file = os.path.join(workdir, "result.json")
        for _ in range(args.repeats):
            for name, count in zip(runs, (0, processes), strict=True):
                seconds, losses[name] = time_run(count, args, result_file)
                runs[name].append(seconds)
    medians = {name: statistics.median(times) for name, times in runs.items()}
    single, parallel = medians.values()
    results = {"device": args.device, "torch": torch.__version__, "threads": args.threads,
               "samples": args.samples, "batch_size": args.batch_size, "epochs": args.epochs,
               "repeats": args.repeats, "runs": runs, "median_seconds": medians,
               "final_loss": losses, "parallel_over_single": parallel / single}
    print(f"data parallelism on {args.device}: median of {args.repeats} alternating runs "
          f"({args.samples} samples, global batch {args.batch_size}, {args.epochs} epochs, "
          f"{args.threads} thread(s) per process, torch {torch.__version__})")
    print(f"{'run':<28} {'fit s':>8} {'final loss':>11}")
    for name in runs:
        print(f"{name:<28} {medians[name]:8.2f} {losses[name]:11.4f}")
    print(f"{processes}-process time / 1-process time: {parallel / single:.3f}")
    if args.json:
        with open(args.json, "w") as file:
            json.dump(results, file, indent=2)


if __name__ == "__main__":
    main()
