"""How much does minilib's `fit` cost over a hand-written PyTorch loop, for an LSTM?

All contenders train the same model, LSTM(64) then Dense(1) (mean squared
error), on 4,000 random sequences of 50 steps of 16 features, for 2 epochs at
batch size 64, with each of Adam, SGD with momentum and AdamW
(`optimizer_settings.py`). minilib's LSTM keeps Keras's weight layout and, with
no mask, calls torch's fused `torch.lstm` kernel; the PyTorch loops use
`nn.LSTM`. There are two PyTorch baselines, the same loop
(`hand_written_loop.py`) with torch's default optimizer (naive) and with
`foreach=True` (tuned). Runs are interleaved (naive, tuned, minilib, naive, ...)
and the medians of the repeats are reported as ratios, of wall-clock time and
of the process's CPU time (steadier on a shared machine). Target: minilib /
PyTorch <= 1.10.

    python bench/lstm_overhead.py                 # CPU, 5 repeats
    python bench/lstm_overhead.py --threads 1     # steadier on a busy machine
    python bench/lstm_overhead.py --device cuda --optimizers adam
    python bench/lstm_overhead.py --quick         # smoke run: small data, 1 repeat
"""

import argparse
import json

import numpy as np
import torch
from hand_written_loop import medians_and_ratios, timed, train_by_hand
from optimizer_settings import NAMES, keras_style_optimizer, torch_optimizer

SAMPLES, STEPS, FEATURES, UNITS, EPOCHS, BATCH = 4_000, 50, 16, 64, 2, 64
QUICK_SAMPLES, QUICK_EPOCHS = 512, 1
CONTENDERS = ("naive", "tuned", "minilib")


def make_data(samples, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((samples, STEPS, FEATURES)).astype("float32")
    y = rng.standard_normal((samples, 1)).astype("float32")
    return x, y


class TorchModel(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(FEATURES, UNITS, batch_first=True)
        self.head = torch.nn.Linear(UNITS, 1)

    def forward(self, x):
        outputs, _ = self.lstm(x)
        return self.head(outputs[:, -1])


def time_torch_loop(x, y, epochs, optimizer_name, tuned, device, seconds):
    """A baseline: the same model trained by the loop in `hand_written_loop.py`."""
    torch.manual_seed(0)
    model = TorchModel().to(device)
    optimizer = torch_optimizer(optimizer_name, model.parameters(), tuned)
    loss_fn = torch.nn.MSELoss()
    inputs, targets = torch.as_tensor(x), torch.as_tensor(y)
    with timed(device, seconds):
        train_by_hand(model, optimizer, loss_fn, inputs, targets, epochs, BATCH, device)


def time_minilib(x, y, epochs, optimizer_name, device, seconds):
    import minilib

    minilib.config.set_device(device)
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(STEPS, FEATURES)),
        minilib.layers.LSTM(UNITS),
        minilib.layers.Dense(1),
    ])
    model.compile(optimizer=keras_style_optimizer(minilib, optimizer_name), loss="mse")
    with timed(device, seconds):
        model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0)


def measure(x, y, epochs, optimizer_name, repeats, device):
    """Each contender's `repeats` interleaved runs, with medians and ratios per clock."""
    time_minilib(x[:256], y[:256], 1, optimizer_name, device, [])  # warm-up, not timed
    time_torch_loop(x[:256], y[:256], 1, optimizer_name, True, device, [])
    times = {name: [] for name in CONTENDERS}
    for _ in range(repeats):
        for tuned, name in ((False, "naive"), (True, "tuned")):
            time_torch_loop(x, y, epochs, optimizer_name, tuned, device, times[name])
        time_minilib(x, y, epochs, optimizer_name, device, times["minilib"])
    return {"optimizer": optimizer_name, "seconds": times, **medians_and_ratios(times)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--optimizers", nargs="+", choices=NAMES, default=list(NAMES))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: {QUICK_SAMPLES} sequences, {QUICK_EPOCHS} epoch, "
                        "1 repeat (the ratios are only indicative)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    samples, epochs = (QUICK_SAMPLES, QUICK_EPOCHS) if args.quick else (SAMPLES, EPOCHS)
    repeats = 1 if args.quick else args.repeats

    x, y = make_data(samples)
    results = {"device": args.device, "torch": torch.__version__,
               "threads": torch.get_num_threads(), "repeats": repeats, "samples": samples,
               "epochs": epochs, "runs": [measure(x, y, epochs, name, repeats, args.device)
                                          for name in args.optimizers]}
    print(f"LSTM({UNITS}) fit overhead on {args.device}, median of {repeats} interleaved "
          f"runs ({samples} x {STEPS} x {FEATURES}, {epochs} epochs, batch {BATCH}, "
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
