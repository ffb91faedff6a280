"""`evaluate` and `predict`: use a model without training it.

Both run the model over the data batch by batch, like `fit`, but with no
gradients (`torch.no_grad()`, which saves memory and time) and with
`training=False`, so that layers such as `Dropout` and `BatchNormalization`
behave as at inference:

- `evaluate` calls `test_step` on each batch and returns the loss and metrics
  over all of them (`fit` calls it on `validation_data` after each epoch);
- `predict` calls `predict_step` on each batch and returns the outputs as NumPy
  arrays, the batches joined back together.

`test_on_batch` and `predict_on_batch` do the same on exactly one given batch.

>>> model = minilib.Sequential([minilib.Input((3,)), minilib.layers.Dense(1)])
>>> model.compile(loss="mse")
>>> x, y = np.ones((10, 3)), np.zeros((10, 1))
>>> model.predict(x, batch_size=4, verbose=0).shape  # three batches: 4 + 4 + 2
(10, 1)
>>> loss = model.evaluate(x, y, verbose=0)
>>> bool(np.isclose(loss, np.mean(model.predict(x, verbose=0) ** 2)))
True
"""

import torch

from minilib.callbacks import CallbackList
from minilib.distribution.global_state import distribute_batch, distribute_data
from minilib.ops.core import convert_to_numpy
from minilib.trainers.data_adapters import get_data_adapter, is_array_data
from minilib.trainers.metric_logs import logs_as_result, pythonify
from minilib.trainers.step_inputs import as_batch, data_device, to_device
from minilib.utils import tree


class EvaluateAndPredict:
    """The part of `Model` that evaluates and predicts (mixed into `Trainer`)."""

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
        with self._cached_lookups.during_run():
            logs = self._evaluate_batches(data, callbacks, data_device(self))
        return logs_as_result(logs, return_dict)

    def _evaluate_batches(self, data, callbacks, device):
        """`test_step` on every batch of `data`: the loop of `evaluate` and of validation."""
        self.reset_metrics()
        batch_logs_wanted = callbacks.wants_batch_logs
        callbacks.on_test_begin()
        logs = None
        with torch.no_grad():
            for step, batch in enumerate(data.batches()):
                callbacks.on_test_batch_begin(step)
                logs = self.test_step(to_device(batch, device))
                callbacks.on_test_batch_end(step, pythonify(logs) if batch_logs_wanted else None)
        if logs is None:
            raise ValueError("evaluate() received no batches: the data is empty.")
        logs = pythonify(logs)
        callbacks.on_test_end(logs)
        return logs

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics on exactly this batch, without training."""
        self._assert_compiled("test_on_batch")
        self.reset_metrics()
        with self._cached_lookups.during_run(), torch.no_grad():
            batch = distribute_batch(as_batch(x, y, sample_weight))
            logs = pythonify(self.test_step(to_device(batch, data_device(self))))
        return logs_as_result(logs, return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for `x`, as NumPy arrays (batched internally)."""
        verbose = 1 if verbose == "auto" else verbose
        if isinstance(x, tuple) and len(x) in (2, 3) and is_array_data(x):
            x = x[0]  # (x, y) given: predictions need only x
        data = get_data_adapter(x, batch_size=batch_size, steps=steps)
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                 verbose=verbose, epochs=1, steps=data.num_batches)
        device = data_device(self)
        collected = []
        batch_logs_wanted = callbacks.wants_batch_logs
        callbacks.on_predict_begin()
        with torch.no_grad():
            for step, batch in enumerate(data.batches()):
                callbacks.on_predict_batch_begin(step)
                outputs = self.predict_step(to_device(batch, device))
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

    def predict_on_batch(self, x):
        """The model's output for exactly this batch, as NumPy arrays."""
        with torch.no_grad():
            outputs = self.predict_step(to_device(as_batch(x, None, None), data_device(self)))
        return tree.map_structure(lambda t: t.detach().cpu().numpy(), outputs)
