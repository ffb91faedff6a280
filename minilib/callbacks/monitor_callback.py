"""MonitorCallback: the shared part of callbacks that watch one metric and react to it.

EarlyStopping, ReduceLROnPlateau and ModelCheckpoint(save_best_only=True) all
ask the same question at the end of an epoch: "did the metric I watch improve?"

What happens when the watched metric is missing from the logs
--------------------------------------------------------------
minilib raises a `ValueError` that names the callback, the missing key and
the keys that are there. (Keras only prints a warning and carries on, so a
misspelt `monitor="val_acc"` silently does nothing.) One case is not an
error: a `val_...` metric at the end of an epoch without validation (all
`val_...` keys missing, for example with `validation_freq=2`); that epoch is
skipped. If the whole of `fit` ran without validation, the error comes at
the end of `fit`, with a hint to pass `validation_data`.
"""

from minilib.callbacks.callback import Callback

# Metric names (substrings) for which bigger is better / smaller is better; used by mode="auto".
_BIGGER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1", "fbeta", "r2", "similarity",
                     "iou", "io_u")
_SMALLER_IS_BETTER = ("loss", "error", "crossentropy", "bce", "hinge", "divergence",
                      "poisson", "mse", "mae", "mape", "msle", "rmse", "logcosh")


class MonitorCallback(Callback):
    """Base class for callbacks that watch the metric `monitor` and react when it improves.

    Args:
        monitor: the key of the metric in the epoch logs, such as "val_loss".
        mode: "min" (smaller is better), "max" (bigger is better) or "auto"
            (guess from the name: losses and errors "min", accuracies "max").
        baseline: the value to beat at first; None means the first value counts
            as an improvement.
        min_delta: how much better than the best so far a value must be to
            count as an improvement.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"{type(self).__name__}: mode must be 'auto', 'min' or 'max', "
                             f"got mode={mode!r}.")
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self._reset_monitor_check()

    def _is_improvement(self, value, reference):
        """Whether `value` beats `reference` by more than `min_delta` in the right direction."""
        bigger_is_better = self._bigger_is_better()  # first, so a bad `mode` fails at once
        if reference is None:
            return True
        if bigger_is_better:
            return value - self.min_delta > reference
        return value + self.min_delta < reference

    def _bigger_is_better(self):
        if self.mode != "auto":
            return self.mode == "max"
        name = self.monitor.removeprefix("val_")
        if any(word in name for word in _SMALLER_IS_BETTER):
            return False
        if any(word in name for word in _BIGGER_IS_BETTER):
            return True
        raise ValueError(f"{type(self).__name__}(monitor={self.monitor!r}): can't tell whether "
                         f"'{name}' should go up or down. Pass mode='max' if bigger is "
                         f"better, or mode='min' if smaller is better.")

    def get_monitor_value(self, logs):
        """The watched metric from `logs`; None for an epoch without validation (see above)."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is not None:
            self._monitor_was_seen = True
            return value
        validated = any(name.startswith("val_") for name in logs)
        if self.monitor.startswith("val_") and not validated:
            self._epochs_without_validation += 1
            return None
        available = ", ".join(logs) or "none"
        raise ValueError(f"{type(self).__name__} watches monitor={self.monitor!r}, but the logs "
                         f"have no such key. Keys in the logs: {available}.")

    def _reset_monitor_check(self):
        """Call when training starts: forget what earlier `fit` calls saw."""
        self._monitor_was_seen = False
        self._epochs_without_validation = 0

    def _check_monitor_was_seen(self):
        """Call when training ends: complain if epochs ran but none had the watched metric."""
        if self._epochs_without_validation and not self._monitor_was_seen:
            raise ValueError(
                f"{type(self).__name__} watches monitor={self.monitor!r}, but fit() never "
                f"computed it because no epoch ran validation. Pass validation data to fit() "
                f"(validation_data=(x_val, y_val) or validation_split=0.2), or watch a "
                f"training metric instead, such as monitor='loss'.")
