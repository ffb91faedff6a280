"""How much does minilib's `fit` cost over a hand-written PyTorch loop, for a small CNN?

Both train the convnet of Keras's MNIST example (Conv2D 32 -> MaxPooling ->
Conv2D 64 -> MaxPooling -> Flatten -> Dense 10, ReLU) on the same 5,000 random
28x28x1 images for 2 epochs at batch size 64, with each of Adam, SGD with
momentum and AdamW (`optimizer_settings.py`). minilib gets channels-last
images, as Keras users have them; the PyTorch loops get the same images
channels-first, as PyTorch users have them (the conversion is not timed).
There are two PyTorch baselines, the same loop (`hand_written_loop.py`) with
torch's default optimizer (naive) and with `foreach=True` (tuned). Runs are
interleaved (naive, tuned, minilib, naive, ...) so that a slow moment of the
machine hits all alike, and the medians of the repeats are reported as ratios.
Besides wall-clock time the process's CPU time is reported: on a machine that
other work shares, it counts only what this process computed, and so varies far
less from run to run (with `--threads 1` it is the steadier number).

    python bench/cnn_overhead.py                  # CPU, 5 repeats
    python bench/cnn_overhead.py --threads 1      # steadier on a busy machine
    python bench/cnn_overhead.py --device cuda --optimizers adam
    python bench/cnn_overhead.py --quick          # smoke run: small data, 1 repeat
"""

import argparse
import json

import numpy as np
import torch
from hand_written_loop import medians_and_ratios, timed, train_by_hand
from optimizer_settings import NAMES, keras_style_optimizer, torch_optimizer

SAMPLES, SIZE, CLASSES, EPOCHS, BATCH = 5_000, 28, 10, 2, 64
QUICK_SAMPLES, QUICK_EPOCHS = 512, 1
CONTENDERS = ("naive", "tuned", "minilib")


def make_data(samples, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((samples, SIZE, SIZE, 1)).astype("float32")
    y = rng.integers(0, CLASSES, samples).astype("int64")
    return x, y


def time_torch_loop(x_channels_first, y, epochs, optimizer_name, tuned, device, seconds):
    """A baseline: the same CNN trained by the loop in `hand_written_loop.py`."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(64 * 5 * 5, CLASSES),
    ).to(device)
    optimizer = torch_optimizer(optimizer_name, model.parameters(), tuned)
    loss_fn = torch.nn.CrossEntropyLoss()
    inputs, targets = torch.as_tensor(x_channels_first), torch.as_tensor(y)
    with timed(device, seconds):
        train_by_hand(model, optimizer, loss_fn, inputs, targets, epochs, BATCH, device)


def time_minilib(x, y, epochs, optimizer_name, device, seconds):
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
    model.compile(optimizer=keras_style_optimizer(minilib, optimizer_name),
                  loss=minilib.losses.SparseCategoricalCrossentropy(from_logits=True))
    with timed(device, seconds):
        model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0)


def measure(x, x_channels_first, y, epochs, optimizer_name, repeats, device):
    """Each contender's `repeats` interleaved runs, with medians and ratios per clock."""
    time_minilib(x[:512], y[:512], 1, optimizer_name, device, [])  # warm-up, not timed
    time_torch_loop(x_channels_first[:512], y[:512], 1, optimizer_name, True, device, [])
    times = {name: [] for name in CONTENDERS}
    for _ in range(repeats):
        for tuned, name in ((False, "naive"), (True, "tuned")):
            time_torch_loop(x_channels_first, y, epochs, optimizer_name, tuned, device,
                            times[name])
        time_minilib(x, y, epochs, optimizer_name, device, times["minilib"])
    return {"optimizer": optimizer_name, "seconds": times, **medians_and_ratios(times)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--optimizers", nargs="+", choices=NAMES, default=list(NAMES))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice); "
                        "1 gives steadier numbers on a busy machine")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: {QUICK_SAMPLES} images, {QUICK_EPOCHS} epoch, "
                        "1 repeat (the ratios are only indicative)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    samples, epochs = (QUICK_SAMPLES, QUICK_EPOCHS) if args.quick else (SAMPLES, EPOCHS)
    repeats = 1 if args.quick else args.repeats

    x, y = make_data(samples)
    x_channels_first = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    results = {"device": args.device, "torch": torch.__version__,
               "threads": torch.get_num_threads(), "repeats": repeats, "samples": samples,
               "epochs": epochs, "runs": [measure(x, x_channels_first, y, epochs, name,
                                                  repeats, args.device)
                                          for name in args.optimizers]}

    print(f"CNN fit overhead on {args.device}, median of {repeats} interleaved runs "
          f"({samples} images of {SIZE}x{SIZE}, {epochs} epochs, batch {BATCH}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads)")
    print(f"{'optimizer':>9} {'clock':>5} {'naive s':>8} {'tuned s':>8} {'minilib s':>10} "
          f"{'minilib/naive':>14} {'minilib/tuned':>14}")
    for row in results["runs"]:
        for clock in ("wall", "cpu"):
            numbers = row[clock]
            medians = numbers["median_seconds"]
            print(f"{row['optimizer']:>9} {clock:>5} {medians['naive']:8.2f} "
                  f"{medians['tuned']:8.2f} {medians['minilib']:10.2f} "
                  f"{numbers['minilib_over_naive']:14.3f} {numbers['minilib_over_tuned']:14.3f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
