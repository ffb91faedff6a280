"""What `compile(loss=..., metrics=...)` turns into.

A model may have one output or several (a list or a dict). `compile` may give
one loss for all of them, a list (one per output) or a dict (by output name);
the same goes for metrics and `loss_weights`. The two classes here line those
specifications up with the outputs the first time they see a batch, when the
shapes of `y_true` and `y_pred` are known (they decide what "accuracy" means).
"""

import copy

from minilib import losses as losses_module
from minilib import metrics as metrics_module
from minilib.utils import tree


def output_names(model, y_pred):
    """Names for the model's outputs: dict keys, output layer names, or None for one output."""
    if isinstance(y_pred, dict):
        return sorted(y_pred)
    flat = tree.flatten(y_pred)
    if len(flat) == 1:
        return [None]
    outputs = getattr(model, "outputs", None) or []
    if len(outputs) == len(flat):
        return [t._keras_history.operation.name for t in outputs]
    return [f"output_{i}" for i in range(len(flat))]


def match_to_outputs(value, names, what):
    """Line `value` (one item, a list, or a dict by output name) up with the outputs."""
    if isinstance(value, dict) and names != [None]:
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(f"{what} has keys {unknown} that are not output names; "
                             f"the model's outputs are {names}.")
        return [value.get(name) for name in names]
    if isinstance(value, list | tuple) and len(names) > 1:
        if len(value) != len(names):
            raise ValueError(f"{what} has {len(value)} entries but the model has "
                             f"{len(names)} outputs ({names}).")
        return list(value)
    return [value] * len(names)


def flat_targets(y_true, names):
    """The targets as a flat list lined up with the outputs."""
    if isinstance(y_true, dict) and names != [None]:
        missing = [name for name in names if name not in y_true]
        if missing:
            raise ValueError(f"Targets are missing for output(s) {missing}; got keys "
                             f"{sorted(y_true)}.")
        return [y_true[name] for name in names]
    flat = tree.flatten(y_true)
    if len(flat) != len(names):
        raise ValueError(f"The model has {len(names)} output(s) but {len(flat)} target "
                         f"array(s) were given.")
    return flat


class CompileLoss:
    """The total loss: the weighted sum of each output's loss."""

    def __init__(self, loss, loss_weights=None):
        self.loss = loss
        self.loss_weights = loss_weights
        self.names = None
        self.output_trackers = []
        self._trackers_by_position = []

    def build(self, model, y_true, y_pred):
        self.names = output_names(model, y_pred)
        specs = match_to_outputs(self.loss, self.names, "loss")
        targets = [y_true] if len(self.names) == 1 else flat_targets(y_true, self.names)
        predictions = [y_pred] if len(self.names) == 1 else _flat_predictions(y_pred, self.names)
        self.loss_fns = [None if spec is None else losses_module.resolve_loss(spec, target, pred)
                         for spec, target, pred in zip(specs, targets, predictions, strict=True)]
        weights = match_to_outputs(self.loss_weights, self.names, "loss_weights")
        self.weights = [1.0 if w is None else float(w) for w in weights]
        self._trackers_by_position = [None] * len(self.names)
        if sum(loss_fn is not None for loss_fn in self.loss_fns) > 1:
            # With several losses, each output's loss is logged too (not a None one).
            self._trackers_by_position = [
                None if loss_fn is None else metrics_module.Mean(name=f"{name}_loss")
                for name, loss_fn in zip(self.names, self.loss_fns, strict=True)]
        self.output_trackers = [t for t in self._trackers_by_position if t is not None]

    def __call__(self, model, y_true, y_pred, sample_weight=None):
        if self.names is None:
            self.build(model, y_true, y_pred)
        if len(self.names) == 1:
            return self.loss_fns[0](y_true, y_pred, sample_weight=sample_weight)
        targets = flat_targets(y_true, self.names)
        predictions = _flat_predictions(y_pred, self.names)
        weights = match_to_outputs(sample_weight, self.names, "sample_weight")
        total = 0.0
        parts = zip(self.loss_fns, self.weights, targets, predictions, weights,
                    self._trackers_by_position, strict=True)
        for loss_fn, factor, target, prediction, weight, tracker in parts:
            if loss_fn is None or target is None:
                continue
            value = loss_fn(target, prediction, sample_weight=weight)
            if tracker is not None:
                tracker.update_state(value.detach())
            total = total + factor * value
        return total


def metric_specs_per_output(specs, names):
    """The metrics of each output. As in Keras 3: with one output, every metric serves it;
    with several, a dict names the outputs, and a list with one entry per output gives each
    output its entry (a metric, or a list of them). Any other list serves every output, as
    in tf.keras: Keras 3 refuses `metrics=["accuracy"]` on a model with two outputs, but
    keras.io's RNN guide uses it."""
    if specs is None:
        return [[] for _ in names]
    if isinstance(specs, dict):
        per_output = match_to_outputs(specs, names, "metrics")
    elif len(names) > 1 and isinstance(specs, list | tuple) and len(specs) == len(names):
        per_output = list(specs)
    else:
        per_output = [specs] * len(names)
    return [[] if s is None else list(s) if isinstance(s, list | tuple) else [s]
            for s in per_output]


class CompileMetrics(metrics_module.Metric):
    """The metrics given to compile, as one group named "compile_metrics" (as in Keras).

    `model.metrics` lists this group after the loss, so a custom `train_step` can
    update everything with one loop; its `result()` is a dict, one value per metric:

        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)   # builds the group on the first batch

    As in Keras, only `weighted_metrics` use `sample_weight`.
    """

    def __init__(self, metrics, weighted_metrics, model):
        super().__init__(name="compile_metrics")
        self.specs = metrics
        self.weighted_specs = weighted_metrics
        self._model = model  # its outputs name the metrics of a model with several
        self.names = None
        self.metrics = []

    def build(self, y_true, y_pred):
        self.names = output_names(self._model, y_pred)
        targets = flat_targets(y_true, self.names)
        predictions = _flat_predictions(y_pred, self.names)
        plain_specs = metric_specs_per_output(self.specs, self.names)
        weighted_specs = metric_specs_per_output(self.weighted_specs, self.names)
        self.plain, self.weighted = [], []
        for index in range(len(self.names)):
            def make(spec, index=index):
                if isinstance(spec, metrics_module.Metric) and index > 0:
                    spec = copy.deepcopy(spec)  # each output needs its own running totals
                return metrics_module.resolve_metric(spec, targets[index], predictions[index])

            self.plain.append([make(spec) for spec in plain_specs[index]])
            self.weighted.append([make(spec) for spec in weighted_specs[index]])
        _name_metrics(self.plain, self.weighted, self.names)
        self.metrics = [m for group in self.plain + self.weighted for m in group]

    @property
    def variables(self):
        return [variable for metric in self.metrics for variable in metric.variables]

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.names is None:
            self.build(y_true, y_pred)
        if not self.metrics:
            return
        if len(self.names) == 1:
            targets, predictions, weights = [y_true], [y_pred], [sample_weight]
        else:
            targets = flat_targets(y_true, self.names)
            predictions = _flat_predictions(y_pred, self.names)
            weights = match_to_outputs(sample_weight, self.names, "sample_weight")
        for plain, weighted, target, prediction, weight in zip(
                self.plain, self.weighted, targets, predictions, weights, strict=True):
            if target is None:
                continue
            for metric in plain:
                metric.update_state(target, prediction)
            for metric in weighted:
                metric.update_state(target, prediction, sample_weight=weight)

    def result(self):
        """`{metric name: value}`; empty before the first batch has built the metrics."""
        return {metric.name: metric.result() for metric in self.metrics}

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()


def _name_metrics(plain, weighted, names):
    """Give each metric its log name, as Keras does: `"<output>_<metric>"` for a model with
    several outputs; a name already taken gets `_1`, `_2`, ..., and a weighted metric that
    repeats a plain one becomes `weighted_<metric>` (so `metrics=["accuracy"]` and
    `weighted_metrics=["accuracy"]` log `accuracy` and `weighted_accuracy`)."""
    taken = {}
    for groups, is_weighted in ((plain, False), (weighted, True)):
        for output, group in zip(names, groups, strict=True):
            prefix = f"{output}_" if output is not None else ""
            for metric in group:
                name = prefix + metric.name
                if name in taken and is_weighted:
                    name = f"{prefix}weighted_{metric.name}"
                if name in taken:
                    taken[name] += 1
                    name = f"{name}_{taken[name] - 1}"
                else:
                    taken[name] = 1
                metric.name = name


def _flat_predictions(y_pred, names):
    return [y_pred[n] for n in names] if isinstance(y_pred, dict) else tree.flatten(y_pred)
