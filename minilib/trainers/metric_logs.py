"""Logs: the metric values that `fit` hands to callbacks, as plain Python floats.

Reading a metric's value costs a little (and on a GPU, a wait for the device),
so a training step returns a `MetricLogs` that only reads the values when
somebody looks at them: the progress bar, a callback, or the end of the epoch.
"""

from collections.abc import Mapping

import torch

from minilib.distribution.metric_reduction import metrics_summed_across_processes


class MetricLogs(Mapping):
    """A read-only mapping `{metric name: current value}` read on first access."""

    def __init__(self, metrics):
        self._metrics = metrics
        self._values = None

    def _read(self):
        if self._values is None:
            # Under DataParallel each process has counted its own samples: add them up.
            with metrics_summed_across_processes(self._metrics):
                self._values = pythonify({m.name: m.result() for m in self._metrics})
        return self._values

    def __getitem__(self, name):
        return self._read()[name]

    def __iter__(self):
        return iter(self._read())

    def __len__(self):
        return len(self._read())

    def __repr__(self):
        return repr(self._read())


def pythonify(logs):
    """A flat dict of Python numbers, from a MetricLogs or a dict of tensors.

    A nested dict (the "compile_metrics" group's result, say) adds its entries
    in its place, as in Keras: `{"loss": 1, "compile_metrics": {"mae": 2}}` gives
    `{"loss": 1, "mae": 2}`.
    """
    flat = {}
    for name, value in dict(logs).items():
        if isinstance(value, Mapping):
            flat.update(pythonify(value))
        else:
            flat[name] = _to_python(value)
    return flat


def _to_python(value):
    if isinstance(value, torch.Tensor):
        return value.item() if value.numel() == 1 else value.detach().cpu().tolist()
    return value


def logs_as_result(logs, return_dict):
    """What `evaluate` and the `*_on_batch` methods return: the logs as a dict with
    `return_dict=True`; otherwise the loss alone, or `[loss, metric, ...]` in order."""
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
