"""How much does minilib's `fit` cost over a hand-written PyTorch loop, for an LSTM?

Both contenders train the same model, LSTM(64) then Dense(1) (mean squared error,
Adam), on 4,000 random sequences of 50 steps of 16 features, for 2 epochs at
batch size 64. minilib's LSTM keeps Keras's weight layout and, with no mask,
calls torch's fused `torch.lstm` kernel; the PyTorch loop uses `nn.LSTM`. Runs
are interleaved (torch, minilib, torch, ...) and the median of the repeats is
reported as a ratio to the PyTorch loop. Target: minilib / PyTorch <= 1.10.

    python bench/lstm_overhead.py                 # CPU, 5 repeats
    python bench/lstm_overhead.py --threads 1     # steadier on a busy machine
    python bench/lstm_overhead.py --device cuda
"""

import argparse
import json
import statistics
import time

import numpy as np
import torch
from hand_written_loop import keras_adam, synchronize, train_by_hand

SAMPLES, STEPS, FEATURES, UNITS, EPOCHS, BATCH = 4_000, 50, 16, 64, 2, 64


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((SAMPLES, STEPS, FEATURES)).astype("float32")
    y = rng.standard_normal((SAMPLES, 1)).astype("float32")
    return x, y


class TorchModel(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(FEATURES, UNITS, batch_first=True)
        self.head = torch.nn.Linear(UNITS, 1)

    def forward(self, x):
        outputs, _ = self.lstm(x)
        return self.head(outputs[:, -1])


def time_torch_loop(x, y, device, samples=SAMPLES):
    """The baseline: the same model trained by the loop in `hand_written_loop.py`."""
    torch.manual_seed(0)
    model = TorchModel().to(device)
    optimizer, loss_fn = keras_adam(model), torch.nn.MSELoss()
    inputs, targets = torch.as_tensor(x[:samples]), torch.as_tensor(y[:samples])
    synchronize(device)
    start = time.perf_counter()
    train_by_hand(model, optimizer, loss_fn, inputs, targets, EPOCHS, BATCH, device)
    synchronize(device)
    return time.perf_counter() - start


def time_minilib(x, y, device, samples=SAMPLES):
    import minilib

    minilib.config.set_device(device)
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input(shape=(STEPS, FEATURES)),
        minilib.layers.LSTM(UNITS),
        minilib.layers.Dense(1),
    ])
    model.compile(optimizer=minilib.optimizers.Adam(1e-3), loss="mse")
    synchronize(device)
    start = time.perf_counter()
    model.fit(x[:samples], y[:samples], batch_size=BATCH, epochs=EPOCHS, verbose=0)
    synchronize(device)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    x, y = make_data()
    time_minilib(x, y, args.device, samples=256)  # warm-up, not timed
    time_torch_loop(x, y, args.device, samples=256)
    times = {"torch": [], "minilib": []}
    for _ in range(args.repeats):
        times["torch"].append(time_torch_loop(x, y, args.device))
        times["minilib"].append(time_minilib(x, y, args.device))
    medians = {name: statistics.median(t) for name, t in times.items()}
    results = {"device": args.device, "torch": torch.__version__,
               "threads": torch.get_num_threads(), "repeats": args.repeats,
               "median_seconds": medians, "runs": times,
               "minilib_over_torch": medians["minilib"] / medians["torch"]}
    print(f"LSTM({UNITS}) fit overhead on {args.device}, median of {args.repeats} interleaved "
          f"runs ({SAMPLES} x {STEPS} x {FEATURES}, {EPOCHS} epochs, batch {BATCH}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads)")
    print(f"torch {medians['torch']:.2f} s   minilib {medians['minilib']:.2f} s   "
          f"minilib/torch {results['minilib_over_torch']:.3f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
