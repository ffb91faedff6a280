"""Trainer: `compile`, `fit`, `evaluate` and `predict` for every minilib Model.

The heart of `fit` is the loop you would write by hand in PyTorch::

    for epoch in range(epochs):
        for x, y, sample_weight in batches:
            y_pred = model(x, training=True)         # forward
            loss = loss_fn(y, y_pred, sample_weight)  # how wrong?
            loss.backward()                           # gradients
            optimizer.apply(gradients, weights)       # update

Around it, callbacks get a say at every step (progress bar, early stopping,
checkpoints). `model.show_training_loop()` prints which callback runs when.
To change what one step does, override `train_step(data)`, as in Keras.

Under `minilib.distribution.DataParallel` the loop stays the same: hooks from
`minilib/distribution/` give each process its slice of every batch
(`distribute_data`, `distribute_batch`) and average the gradients across processes
(`data_parallel_training`). On one process they do nothing.
"""

import warnings

import numpy as np
import torch

from minilib import metrics as metrics_module
from minilib import optimizers
from minilib.backend import config
from minilib.callbacks import CallbackList
from minilib.distribution.global_state import distribute_batch, distribute_data
from minilib.distribution.gradient_averaging import data_parallel_training
from minilib.layers.layer import losses_of
from minilib.ops.core import convert_to_numpy
from minilib.trainers.compile_utils import CompileLoss, CompileMetrics
from minilib.trainers.data_adapters import (
    get_data_adapter,
    is_array_data,
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from minilib.trainers.data_adapters.array_data_adapter import ArrayDataAdapter, to_tensor
from minilib.trainers.metric_logs import MetricLogs, pythonify
from minilib.utils import tree


class Trainer:
    """The training half of `Model` (mixed in; not used on its own)."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._step_cache = None

    # ----------------------------------------------------------------- compile
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
        self._step_cache = None
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

    # ------------------------------------------------------------ single steps
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The loss to minimize: the compiled loss plus every `add_loss` and penalty."""
        total = None
        if self._compile_loss is not None:
            total = self._compile_loss(self, y, y_pred, sample_weight)
        for extra in losses_of(self._step_state()[1]):
            total = extra if total is None else total + extra
        if total is None:
            raise ValueError(f"Model '{self.name}' has no loss to minimize: pass `loss=` to "
                             f"compile(), or call add_loss() in the model.")
        return total

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics with one batch and return all metric values."""
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def train_step(self, data):
        """One step of training on one batch.

        `data` is what `fit` was given, one batch of it: `(x, y)`, `(x, y, sample_weight)`,
        or `x` alone; unpack it with `minilib.utils.unpack_x_y_sample_weight(data)`.
        """
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)
        _track_loss(self._loss_tracker, loss.detach(), _batch_size(x))
        weights = self._step_state()[0]
        if weights:
            for variable in weights:
                variable.grad = None
            if not loss.requires_grad:
                raise ValueError(_NO_GRADIENT.format(name=self.name))
            loss.backward()
            with torch.no_grad():
                self.optimizer.apply([v.grad for v in weights], weights)
        else:  # as in Keras: every layer frozen, so fit() only measures
            warnings.warn(f"Model '{self.name}' has no trainable weights: fit() computes "
                          f"the loss and metrics but changes nothing.", stacklevel=2)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _step_state(self):
        """The trainable weights and all layers, looked up once per fit or evaluate.

        Walking the model for them takes longer than a small training step. As in
        Keras, changes to `trainable` take effect at the next fit() or compile().
        """
        if self._step_cache is None:
            state = (self.trainable_weights, [self, *self._descendants()])
            if not self.built:
                return state  # the first forward pass is still creating weights
            self._step_cache = state
        return self._step_cache

    def test_step(self, data):
        """Loss and metrics on one batch, without training."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                 training=False)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """The model's output for one batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    # --------------------------------------------------------------------- fit
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train for `epochs` passes over the data and return a `History`.

        Args:
            x, y: inputs and targets: arrays or tensors (lists or dicts of them
                for several inputs or outputs), or a PyDataset / DataLoader / generator
                that yields `(x, y)` batches (then leave `y` out).
            batch_size: samples per gradient step (default 32).
            epochs: how many passes over the data.
            verbose: 0 silent, 1 progress bar, 2 one line per epoch ("auto" is 1).
            callbacks: `Callback` objects that run at each stage of training.
            validation_split: fraction of the data (taken from the end, before
                shuffling) to hold out and evaluate after each epoch.
            validation_data: `(x_val, y_val)` to evaluate after each epoch instead.
            shuffle: reshuffle the training samples every epoch ("batch" shuffles
                whole batches).
            class_weight: `{class: weight}`, to weigh rare classes more.
            sample_weight: one weight per training sample.
            initial_epoch: the epoch to start from, to resume a previous run.
            steps_per_epoch: batches per epoch (needed for generators).
            validation_steps, validation_batch_size, validation_freq: control the
                validation runs (how many batches, how big, every how many epochs).
        """
        self._assert_compiled("fit")
        verbose = 1 if verbose == "auto" else verbose
        if validation_split and validation_data is None:
            if not is_array_data(x):
                raise ValueError("validation_split only works with arrays or tensors; "
                                 "pass validation_data for other kinds of data.")
            whole = ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size or 32)
            (x, y, sample_weight), validation_data = whole.split(validation_split)
        train_data = distribute_data(get_data_adapter(
            x, y, sample_weight, batch_size=batch_size, shuffle=shuffle, steps=steps_per_epoch))
        validation = None
        if validation_data is not None:
            validation = distribute_data(get_data_adapter(
                *unpack_x_y_sample_weight(validation_data),
                batch_size=validation_batch_size or batch_size, steps=validation_steps))
        callbacks = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                 model=self, verbose=verbose, epochs=epochs,
                                 steps=train_data.num_batches)
        self.history = callbacks.history
        self.stop_training = False
        self._step_cache = None
        device = self._data_device()
        weights = _class_weight_table(class_weight, device)

        batch_logs_wanted = callbacks.wants_batch_logs
        callbacks.on_train_begin()
        training_logs = None
        with data_parallel_training(self):  # averages gradients across processes, if several
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                callbacks.on_epoch_begin(epoch)
                logs = None
                for step, batch in enumerate(train_data.batches()):
                    callbacks.on_train_batch_begin(step)
                    logs = self.train_step(_to_device(batch, device, weights))
                    callbacks.on_train_batch_end(step,
                                                 pythonify(logs) if batch_logs_wanted else None)
                    if self.stop_training:
                        break
                if logs is None:
                    raise ValueError("fit() received no training batches: the data is empty.")
                epoch_logs = pythonify(logs)
                if validation is not None and (epoch + 1) % validation_freq == 0:
                    validation_logs = self._evaluate_batches(validation, callbacks, device)
                    epoch_logs.update({f"val_{k}": v for k, v in validation_logs.items()})
                callbacks.on_epoch_end(epoch, epoch_logs)
                training_logs = epoch_logs
                if self.stop_training:
                    break
        callbacks.on_train_end(training_logs)
        return self.history

    # ---------------------------------------------------------------- evaluate
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
        """The loss and metrics on the given data, without training.

        Returns the loss alone, or `[loss, metric, ...]` in the order of
        `metrics_names`, or a dict when `return_dict=True`.
        """
        self._assert_compiled("evaluate")
        verbose = 1 if verbose == "auto" else verbose
        data = distribute_data(get_data_adapter(x, y, sample_weight, batch_size=batch_size,
                                                steps=steps))
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                 verbose=verbose, epochs=1, steps=data.num_batches)
        logs = self._evaluate_batches(data, callbacks, self._data_device())
        return _logs_as_result(logs, return_dict)

    def _evaluate_batches(self, data, callbacks, device):
        self._step_cache = None
        self.reset_metrics()
        batch_logs_wanted = callbacks.wants_batch_logs
        callbacks.on_test_begin()
        logs = None
        with torch.no_grad():
            for step, batch in enumerate(data.batches()):
                callbacks.on_test_batch_begin(step)
                logs = self.test_step(_to_device(batch, device))
                callbacks.on_test_batch_end(step, pythonify(logs) if batch_logs_wanted else None)
        if logs is None:
            raise ValueError("evaluate() received no batches: the data is empty.")
        logs = pythonify(logs)
        callbacks.on_test_end(logs)
        return logs

    # ----------------------------------------------------------------- predict
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for `x`, as NumPy arrays (batched internally)."""
        verbose = 1 if verbose == "auto" else verbose
        if isinstance(x, tuple) and len(x) in (2, 3) and is_array_data(x):
            x = x[0]  # (x, y) given: predictions need only x
        data = get_data_adapter(x, batch_size=batch_size, steps=steps)
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                 verbose=verbose, epochs=1, steps=data.num_batches)
        device = self._data_device()
        collected = []
        batch_logs_wanted = callbacks.wants_batch_logs
        callbacks.on_predict_begin()
        with torch.no_grad():
            for step, batch in enumerate(data.batches()):
                callbacks.on_predict_batch_begin(step)
                outputs = self.predict_step(_to_device(batch, device))
                collected.append(tree.map_structure(lambda t: t.detach().cpu(), outputs))
                callbacks.on_predict_batch_end(
                    step, {"outputs": outputs} if batch_logs_wanted else None)
        callbacks.on_predict_end()
        if not collected:
            raise ValueError("predict() received no batches: the data is empty.")
        # convert_to_numpy, not .numpy(): NumPy has no bfloat16, so such outputs widen.
        flat = [convert_to_numpy(torch.cat(parts)) for parts in zip(
            *map(tree.flatten, collected), strict=True)]
        return tree.pack_as(collected[0], flat)

    # --------------------------------------------------------- one-batch forms
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """Run one training step on exactly this batch; returns the metric values."""
        self._assert_compiled("train_on_batch")
        self._step_cache = None
        device = self._data_device()
        batch = distribute_batch(_as_batch(x, y, sample_weight))
        with data_parallel_training(self):
            logs = pythonify(self.train_step(
                _to_device(batch, device, _class_weight_table(class_weight, device))))
        return _logs_as_result(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics on exactly this batch, without training."""
        self._assert_compiled("test_on_batch")
        self._step_cache = None
        self.reset_metrics()
        with torch.no_grad():
            logs = pythonify(self.test_step(_to_device(
                distribute_batch(_as_batch(x, y, sample_weight)), self._data_device())))
        return _logs_as_result(logs, return_dict)

    def predict_on_batch(self, x):
        """The model's output for exactly this batch, as NumPy arrays."""
        with torch.no_grad():
            outputs = self.predict_step(
                _to_device(_as_batch(x, None, None), self._data_device()))
        return tree.map_structure(lambda t: t.detach().cpu().numpy(), outputs)

    # ------------------------------------------------------------- inspection
    def show_training_loop(self, callbacks=None, verbose=1):
        """Print the events of `fit` in order, and which callbacks act at each."""
        print(CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                           model=self, verbose=verbose, epochs=1, steps=None).describe())

    def _data_device(self):
        weights = self.weights
        return weights[0].device if weights else config.device()


_NO_GRADIENT = (
    "Model '{name}': the loss has no gradient with respect to the trainable weights, so "
    "fit() cannot train them. Without `loss=` in compile(), the loss is the sum of the "
    "add_loss() values: compute them from layer outputs or weights, not only from the "
    "model's inputs.")


def _batch_size(x):
    return tree.flatten(x)[0].shape[0]


def _track_loss(tracker, loss, batch_size):
    """`tracker.update_state(loss, sample_weight=batch_size)`, the short way for a scalar loss.

    `Mean.update_state` handles values of any shape and weights to broadcast; for
    one number and one weight that costs more than the rest of the step's
    bookkeeping. A scalar needs only what a hand-written loop does:
    `total += loss * batch_size` and `count += batch_size`.
    """
    if loss.ndim != 0:
        tracker.update_state(loss, sample_weight=batch_size)
        return
    tracker.total.add_(loss.to(tracker.total.dtype) * batch_size)
    tracker.count.add_(batch_size)


def _as_batch(x, y, sample_weight):
    return tree.map_structure(to_tensor, (x, y, sample_weight))


def _to_device(batch, device, class_weights=None):
    """The batch on `device`, packed as Keras hands it to a step: `(x, y)`, `(x, y, sw)` or x."""
    x, y, sample_weight = tree.map_structure(
        lambda t: t if t is None else t.to(device, non_blocking=True), batch)
    if class_weights is not None and y is not None:
        if sample_weight is not None:
            raise ValueError("class_weight and sample_weight cannot be used together (as in "
                             "Keras): multiply the class weights into sample_weight instead.")
        labels = y.argmax(-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(-1).long()
        sample_weight = _weights_of(labels.reshape(-1).long(), class_weights)
    return pack_x_y_sample_weight(x, y, sample_weight)


def _weights_of(labels, table):
    """Each label's weight in `table`; 1.0 for a label past its end (as Keras, whose
    `class_weight.get(label, 1.0)` weighs a class the dict leaves out by 1)."""
    known = labels < len(table)
    return torch.where(known, table[labels.clamp(max=len(table) - 1)], 1.0)


def _class_weight_table(class_weight, device):
    """`{class: weight}` as a lookup tensor indexed by class number; classes between the
    keys that it leaves out weigh 1."""
    if not class_weight:
        return None
    table = np.ones(max(class_weight) + 1, dtype="float32")
    for label, weight in class_weight.items():
        table[int(label)] = weight
    return torch.as_tensor(table, device=device)


def _logs_as_result(logs, return_dict):
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
