"""Metrics of the whole batch: add up what every process has counted.

A metric keeps running totals (`Mean`: a total and a count; `Precision`: true and false
positives...). Under DataParallel each process counts only its own slices of the data.
Adding the totals of all processes gives the totals of the whole data, so the values
reported are those of a single process that saw everything. (Keras sums metric
variables across devices for the same reason.)
"""

import contextlib

import torch
import torch.distributed as dist

from minilib.distribution.global_state import active_data_parallel


@contextlib.contextmanager
def metrics_summed_across_processes(metrics):
    """Inside this block, every metric's state holds the sum over all processes.

    Read `metric.result()` inside; on leaving, each process gets its own counts back, so
    that the next batches keep adding to them. Does nothing on one process. Every process
    must enter the block at the same point: they add up their totals together.
    """
    data_parallel = active_data_parallel()
    variables = [v for metric in metrics for v in metric.variables] if data_parallel else []
    if not variables:
        yield
        return
    own_counts = [variable.detach().clone() for variable in variables]
    # One all-reduce for all metrics; float64 keeps large counts exact.
    totals = torch.cat([v.detach().reshape(-1).to(data_parallel.device, torch.float64)
                        for v in variables])
    dist.all_reduce(totals)
    sizes = [variable.numel() for variable in variables]
    with torch.no_grad():
        for variable, total in zip(variables, totals.split(sizes), strict=True):
            variable.copy_(total.reshape(variable.shape))
    try:
        yield
    finally:
        with torch.no_grad():
            for variable, own in zip(variables, own_counts, strict=True):
                variable.copy_(own)
