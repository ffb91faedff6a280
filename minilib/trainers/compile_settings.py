"""`compile`: choose how a model trains (optimizer, loss, metrics) before `fit`.

`compile` does no computation. It looks the optimizer, the loss and the metrics
up by name and keeps them, so that `fit` and `evaluate` find them:

- `optimizer`: the rule that turns gradients into weight updates;
- the loss: `CompileLoss` (`compile_utils.py`) lines the loss functions up with
  the model's outputs, one per output for several outputs;
- the metrics: `CompileMetrics` (`compile_utils.py`), plus a tracker that
  averages the loss over the epoch's batches, reported as "loss".

>>> model = minilib.Sequential([minilib.Input((3,)), minilib.layers.Dense(2)])
>>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
...               metrics=["accuracy"])
>>> type(model.optimizer).__name__, model.metrics_names
('Adam', ['loss', 'compile_metrics'])
"""

from minilib import metrics as metrics_module
from minilib import optimizers
from minilib.trainers.compile_utils import CompileLoss, CompileMetrics
from minilib.trainers.metric_logs import MetricLogs


class CompileSettings:
    """The part of `Model` that `compile` fills in (mixed into `Trainer`)."""

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Choose how to train: the optimizer, the loss and the metrics to report.

        Args:
            optimizer: a name ("adam", "sgd", ...) or an optimizer object.
            loss: a name ("mse", "sparse_categorical_crossentropy", ...), a
                `Loss` object or a function `f(y_true, y_pred)`; a list or dict
                for a model with several outputs.
            loss_weights: factors for each output's loss, for several outputs.
            metrics: what to report besides the loss, e.g. `["accuracy"]`.
            weighted_metrics: metrics that take `sample_weight` into account.

        minilib always runs eagerly; `run_eagerly`, `steps_per_execution`,
        `jit_compile` and `auto_scale_loss` are accepted for Keras compatibility.
        """
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._compile_loss = CompileLoss(loss, loss_weights) if loss is not None else None
        self._compile_metrics = None
        if metrics is not None or weighted_metrics is not None:
            self._compile_metrics = CompileMetrics(metrics, weighted_metrics, model=self)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._compile_config = {
            "optimizer": self.optimizer, "loss": loss, "loss_weights": loss_weights,
            "metrics": metrics, "weighted_metrics": weighted_metrics, "run_eagerly": False,
            "steps_per_execution": 1, "jit_compile": False,
        }
        self.compiled = True

    def get_compile_config(self):
        """The arguments `compile` was given (None before compiling); saved with the model."""
        return dict(self._compile_config) if self.compiled else None

    def _assert_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(f"Model '{self.name}' must be compiled before {method}(): "
                               f"call model.compile(optimizer=..., loss=...) first.")

    @property
    def metrics(self):
        """The metrics `fit` and `evaluate` reset at their start and report.

        As in Keras: the loss tracker "loss", each output's loss (for several
        outputs), then the group "compile_metrics" holding the metrics given to
        `compile`. Override it to list your own metric objects instead, as Keras's
        guide "Customizing what happens in fit()" does.
        """
        found = [self._loss_tracker] if self._loss_tracker is not None else []
        if self._compile_loss is not None:
            found += self._compile_loss.output_trackers
        if self._compile_metrics is not None:
            found.append(self._compile_metrics)
        return found

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        """Start every metric's running totals again (done at each epoch's start)."""
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self):
        """The current value of every metric, as a mapping from name to float.

        A metric whose result is a dict (the "compile_metrics" group) adds its entries.
        """
        return MetricLogs(self.metrics)
