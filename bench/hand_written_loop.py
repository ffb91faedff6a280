"""The baseline of every `*_overhead.py` benchmark: the PyTorch loop a user writes by hand.

Each epoch draws a new order of the samples, slices it into batches, moves each
batch to the device, and takes one optimizer step per batch; it also keeps the
epoch's mean loss, as `fit` reports it. Timing is left to the caller.
"""

import torch


def synchronize(device):
    """Wait for the GPU to finish its queued work, so a timer measures all of it."""
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def keras_adam(model):
    """torch's Adam with Keras's settings (learning rate 1e-3, epsilon 1e-7)."""
    return torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)


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
