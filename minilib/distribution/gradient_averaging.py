"""Averaging the gradients of all processes with PyTorch's DistributedDataParallel (DDP).

During `fit`, the model's forward pass goes through a DDP wrapper. DDP does two things:

* when it is made, it copies process 0's weights to every process, so all copies start
  the same;
* during `loss.backward()`, as soon as a group ("bucket") of gradients is ready, it
  averages that group across processes while the rest of the backward pass goes on.

After `backward`, every process holds the same averaged gradients, so the optimizer takes
the same step everywhere. Nothing else in `train_step` changes, a `train_step` of your own
included: it calls `self(x, training=True)` as usual.

Why a weighted average: each process's gradient is the mean over its own n_i samples,
and the mean over the whole batch of B samples is sum_i (n_i / B) * gradient_i. DDP's
plain average divides by the number of processes, which is right only when every
slice has the same size, and the last batch of an epoch often doesn't split evenly.
So a communication hook multiplies each process's gradients by n_i / B before adding
them up. (This assumes the loss is a mean over the batch, Keras's default.)
"""

import contextlib

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from minilib.distribution.global_state import active_data_parallel


@contextlib.contextmanager
def data_parallel_training(model):
    """Inside this block, `model`'s gradients are averaged across processes.

    How: `model(x)` checks its input, then runs `model.forward`. For the duration of
    the block, `model.forward` is replaced by one that goes through DDP; leaving the
    block removes it. Does nothing without an active `DataParallel` (one process).
    """
    data_parallel = active_data_parallel()
    if data_parallel is None:
        yield
        return
    _check_model_device(model, data_parallel.device)
    model.forward = _ReplicatedForward(model, data_parallel)
    try:
        yield
    finally:
        del model.forward  # back to the class's own forward


class _ReplicatedForward:
    """The model's forward pass, through DDP when gradients are being recorded."""

    def __init__(self, model, data_parallel):
        self.model = model
        self.data_parallel = data_parallel
        self.ddp = None

    def __call__(self, *args, **kwargs):
        plain_forward = type(self.model).forward
        if not torch.is_grad_enabled():  # validation, or a callback predicting
            return plain_forward(self.model, *args, **kwargs)
        if self.ddp is None:
            if not _all_layers_built(self.model):
                # A subclassed model creates its layers' weights during its first call,
                # and DDP must see all of them: run that first call once, then wrap.
                with torch.no_grad():
                    plain_forward(self.model, *args, **kwargs)
            self.ddp = _wrap_in_ddp(self.model, self.data_parallel)
        return self.ddp(*args, **kwargs)


class _PlainForward(torch.nn.Module):
    """What DDP wraps: a module whose forward is the model's own (not the replicated one)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return type(self.model).forward(self.model, *args, **kwargs)


def _wrap_in_ddp(model, data_parallel):
    device = data_parallel.device
    ddp = DistributedDataParallel(
        _PlainForward(model), device_ids=[device.index] if device.type == "cuda" else None)
    ddp.register_comm_hook(data_parallel, _weighted_sum_of_gradients)
    return ddp


def _weighted_sum_of_gradients(data_parallel, bucket):
    """DDP's communication hook: sum over processes of (n_i / B) * gradients_i."""
    gradients = bucket.buffer()
    gradients.mul_(data_parallel.batch_share)
    summing = dist.all_reduce(gradients, async_op=True).get_future()
    return summing.then(lambda done: done.value()[0])


def _all_layers_built(model):
    return all(layer.built for layer in [model, *model._descendants()])


def _check_model_device(model, device):
    weights = model.weights
    if weights and weights[0].device != device:
        raise ValueError(f"Model '{model.name}' has its weights on {weights[0].device}, but "
                         f"this process trains on {device}. Build the model after "
                         f"set_distribution(DataParallel(...)), or move it first with "
                         f"model.to('{device}').")
