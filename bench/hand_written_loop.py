"""The baseline of every `*_overhead.py` benchmark: the PyTorch loop a user writes by hand.

Each epoch draws a new order of the samples, slices it into batches, moves each
batch to the device, and takes one optimizer step per batch; it also keeps the
epoch's mean loss, as `fit` reports it. The caller times it with `timed`, and sums the
runs up with `medians_and_ratios`.

The loop already sets gradients to None rather than zeroing them (torch's default
since 2.0). What separates the naive baseline from the tuned one is the optimizer
it is given: see `optimizer_settings.py`.
"""

import statistics
import time
from contextlib import contextmanager

import torch


def synchronize(device):
    """Wait for the GPU to finish its queued work, so a timer measures all of it."""
    if device.startswith("cuda"):
        torch.cuda.synchronize()


@contextmanager
def timed(device, seconds):
    """Append `(wall, cpu)` seconds of the block to the list `seconds`.

    The process's CPU time counts only what this process computed, so on a
    machine that other work shares it varies far less from run to run than
    wall-clock time (with `--threads 1` it is the steadier number).
    """
    synchronize(device)
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    synchronize(device)
    seconds.append((time.perf_counter() - wall, time.process_time() - cpu))


def train_by_hand(model, optimizer, loss_fn, inputs, targets, epochs, batch_size, device):
    """Train `model` on the tensors `inputs` and `targets`; returns each epoch's mean loss."""
    samples = len(targets)
    epoch_losses = []
    for _ in range(epochs):
        order = torch.randperm(samples)
        running = torch.zeros((), device=device)
        for begin in range(0, samples, batch_size):
            index = order[begin:begin + batch_size]
            batch_x = inputs[index].to(device, non_blocking=True)
            batch_y = targets[index].to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(batch_x), batch_y)
            loss.backward()
            optimizer.step()
            running += loss.detach() * len(index)
        epoch_losses.append((running / samples).item())
    return epoch_losses


def medians_and_ratios(times):
    """Per clock ("wall", "cpu"), each contender's median seconds and minilib's ratios to
    the two loops (and Keras's, where Keras ran). `times`: {contender: [(wall, cpu), ...]}."""
    summary = {}
    for index, clock in enumerate(("wall", "cpu")):
        medians = {name: statistics.median(run[index] for run in runs)
                   for name, runs in times.items() if runs}
        ratios = {"minilib_over_naive": medians["minilib"] / medians["naive"],
                  "minilib_over_tuned": medians["minilib"] / medians["tuned"]}
        if "keras" in medians:
            ratios.update(keras_over_tuned=medians["keras"] / medians["tuned"],
                          minilib_over_keras=medians["minilib"] / medians["keras"])
        summary[clock] = {"median_seconds": medians, **ratios}
    return summary
