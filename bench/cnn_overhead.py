"""How much does minilib's `fit` cost over a hand-written PyTorch loop, for a small CNN?

Both train the convnet of Keras's MNIST example (Conv2D 32 -> MaxPooling ->
Conv2D 64 -> MaxPooling -> Flatten -> Dense 10, ReLU, Adam) on the same 5,000
random 28x28x1 images for 2 epochs at batch size 64. minilib gets channels-last
images, as Keras users have them; the PyTorch loop gets the same images
channels-first, as PyTorch users have them (the conversion is not timed). Runs
are interleaved (torch, minilib, torch, ...) so that a slow moment of the
machine hits both alike, and the median of the repeats is reported as a ratio.
Besides wall-clock time the process's CPU time is reported: on a machine that
other work shares, it counts only what this process computed, and so varies far
less from run to run (with `--threads 1` it is the steadier number).

    python bench/cnn_overhead.py                  # CPU, 5 repeats
    python bench/cnn_overhead.py --threads 1      # steadier on a busy machine
    python bench/cnn_overhead.py --device cuda
"""

import argparse
import json
import statistics
import time
from contextlib import contextmanager

import numpy as np
import torch
from hand_written_loop import keras_adam, synchronize, train_by_hand

SAMPLES, SIZE, CLASSES, EPOCHS, BATCH = 5_000, 28, 10, 2, 64


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((SAMPLES, SIZE, SIZE, 1)).astype("float32")
    y = rng.integers(0, CLASSES, SAMPLES).astype("int64")
    return x, y


@contextmanager
def timed(device, seconds):
    """Append `(wall, cpu)` seconds of the block to the list `seconds`."""
    synchronize(device)
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    synchronize(device)
    seconds.append((time.perf_counter() - wall, time.process_time() - cpu))


def time_torch_loop(x_channels_first, y, device, seconds):
    """The baseline: the same CNN trained by the loop in `hand_written_loop.py`."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(64 * 5 * 5, CLASSES),
    ).to(device)
    optimizer, loss_fn = keras_adam(model), torch.nn.CrossEntropyLoss()
    inputs, targets = torch.as_tensor(x_channels_first), torch.as_tensor(y)
    with timed(device, seconds):
        train_by_hand(model, optimizer, loss_fn, inputs, targets, EPOCHS, BATCH, device)


def time_minilib(x, y, device, seconds):
    import minilib
    from minilib import layers

    minilib.config.set_device(device)
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(SIZE, SIZE, 1)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(CLASSES),
    ])
    model.compile(optimizer=minilib.optimizers.Adam(1e-3),
                  loss=minilib.losses.SparseCategoricalCrossentropy(from_logits=True))
    with timed(device, seconds):
        model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, verbose=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice); "
                        "1 gives steadier numbers on a busy machine")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    x, y = make_data()
    x_channels_first = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    time_minilib(x[:512], y[:512], args.device, [])  # warm-up, not timed
    time_torch_loop(x_channels_first[:512], y[:512], args.device, [])
    times = {"torch": [], "minilib": []}
    for _ in range(args.repeats):
        time_torch_loop(x_channels_first, y, args.device, times["torch"])
        time_minilib(x, y, args.device, times["minilib"])
    results = {"device": args.device, "torch": torch.__version__,
               "threads": torch.get_num_threads(), "repeats": args.repeats, "seconds": times}
    for index, clock in enumerate(("wall", "cpu")):
        medians = {name: statistics.median(t[index] for t in runs)
                   for name, runs in times.items()}
        results[clock] = {"median_seconds": medians,
                          "minilib_over_torch": medians["minilib"] / medians["torch"]}

    print(f"CNN fit overhead on {args.device}, median of {args.repeats} interleaved runs "
          f"({SAMPLES} images of {SIZE}x{SIZE}, {EPOCHS} epochs, batch {BATCH}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads)")
    print(f"{'clock':>6} {'torch s':>9} {'minilib s':>10} {'minilib/torch':>14}")
    for clock in ("wall", "cpu"):
        medians = results[clock]["median_seconds"]
        print(f"{clock:>6} {medians['torch']:9.2f} {medians['minilib']:10.2f} "
              f"{results[clock]['minilib_over_torch']:14.3f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
