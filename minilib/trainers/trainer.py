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

This file holds that loop. The body of the loop, the work on one batch, is
`train_step` in `steps.py`: override it to change what one step does, as in Keras.
`compile` is in `compile_settings.py`, `evaluate` and `predict` in
`evaluate_predict.py`, and `step_inputs.py` moves each batch to the model's device.

Under `minilib.distribution.DataParallel` the loop stays the same: hooks from
`minilib/distribution/` give each process its slice of every batch
(`distribute_data`, `distribute_batch`) and average the gradients across processes
(`data_parallel_training`). On one process they do nothing.
"""

from minilib.callbacks import CallbackList
from minilib.distribution.global_state import distribute_batch, distribute_data
from minilib.distribution.gradient_averaging import data_parallel_training
from minilib.trainers.cached_lookups import CachedLookups
from minilib.trainers.compile_settings import CompileSettings
from minilib.trainers.data_adapters import (
    get_data_adapter,
    is_array_data,
    unpack_x_y_sample_weight,
)
from minilib.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from minilib.trainers.evaluate_predict import EvaluateAndPredict
from minilib.trainers.metric_logs import logs_as_result, pythonify
from minilib.trainers.step_inputs import as_batch, class_weight_table, data_device, to_device
from minilib.trainers.steps import Steps


class Trainer(CompileSettings, Steps, EvaluateAndPredict):
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
        self._cached_lookups = CachedLookups()

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
        device = data_device(self)
        weights = class_weight_table(class_weight, device)

        batch_logs_wanted = callbacks.wants_batch_logs
        callbacks.on_train_begin()
        training_logs = None
        # data_parallel_training averages gradients across processes, if there are several.
        with self._cached_lookups.during_run(), data_parallel_training(self):
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                callbacks.on_epoch_begin(epoch)
                logs = None
                for step, batch in enumerate(train_data.batches()):
                    callbacks.on_train_batch_begin(step)
                    logs = self.train_step(to_device(batch, device, weights))
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

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """Run one training step on exactly this batch; returns the metric values."""
        self._assert_compiled("train_on_batch")
        device = data_device(self)
        batch = distribute_batch(as_batch(x, y, sample_weight))
        with self._cached_lookups.during_run(), data_parallel_training(self):
            logs = pythonify(self.train_step(
                to_device(batch, device, class_weight_table(class_weight, device))))
        return logs_as_result(logs, return_dict)

    def show_training_loop(self, callbacks=None, verbose=1):
        """Print the events of `fit` in order, and which callbacks act at each."""
        print(CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                           model=self, verbose=verbose, epochs=1, steps=None).describe())
