"""The work on one batch: `train_step`, `test_step` and `predict_step`.

`fit` calls `train_step` once per batch, `evaluate` calls `test_step`, `predict`
calls `predict_step`. These are the methods to override to change what training
does, as in Keras's guide "Customizing what happens in fit()": a GAN's two
updates, a loss computed your own way. `fit` keeps the loop, the callbacks and
the progress bar.

`train_step` is the algorithm every training loop runs on a batch:

1. forward pass: `y_pred = model(x, training=True)`;
2. loss: how wrong the predictions are, `compute_loss(...)`;
3. gradients: `loss.backward()` gives d loss / d w for each trainable weight w;
4. update: `optimizer.apply(gradients, trainable_weights)`.

Example, a custom `train_step` with the same four steps:

>>> class MyModel(minilib.Sequential):
...     def train_step(self, data):
...         x, y = data
...         y_pred = self(x, training=True)
...         loss = self.compute_loss(y=y, y_pred=y_pred)
...         for w in self.trainable_weights:
...             w.grad = None
...         loss.backward()
...         with torch.no_grad():
...             self.optimizer.apply([w.grad for w in self.trainable_weights],
...                                  self.trainable_weights)
...         return {"my_loss": loss.detach()}
>>> model = MyModel([minilib.Input((2,)), minilib.layers.Dense(1)])
>>> model.compile(optimizer="sgd", loss="mse")
>>> history = model.fit(np.ones((8, 2)), np.zeros((8, 1)), epochs=2, verbose=0)
>>> list(history.history)
['my_loss']
"""

import warnings

import torch

from minilib.layers.layer_losses import losses_of
from minilib.trainers.data_adapters import unpack_x_y_sample_weight
from minilib.utils import tree


class Steps:
    """The part of `Model` that handles one batch (mixed into `Trainer`)."""

    def train_step(self, data):
        """One step of training on one batch: forward pass, loss, gradients, update.

        `data` is one batch of what `fit` was given: `(x, y)`, `(x, y, sample_weight)`,
        or `x` alone; unpack it with `minilib.utils.unpack_x_y_sample_weight(data)`.
        Returns the metric values, for the progress bar and the callbacks.
        """
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)  # 1. forward pass
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)  # 2. loss
        track_loss(self._loss_tracker, loss.detach(), batch_size(x))  # for the logs
        # self.trainable_weights, looked up once per fit() (see cached_lookups.py)
        trainable_weights = self._cached_lookups.trainable_weights(self)
        if trainable_weights:
            gradients = gradients_of(loss, trainable_weights, self.name)  # 3. gradients
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)  # 4. update
        else:  # as in Keras: every layer frozen, so fit() only measures
            warnings.warn(f"Model '{self.name}' has no trainable weights: fit() computes "
                          f"the loss and metrics but changes nothing.", stacklevel=2)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        """Loss and metrics on one batch, without training."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                 training=False)
        self._loss_tracker.update_state(loss, sample_weight=batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """The model's output for one batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The loss to minimize: the compiled loss plus every `add_loss` and penalty."""
        total = None
        if self._compile_loss is not None:
            total = self._compile_loss(self, y, y_pred, sample_weight)
        for extra in losses_of(self._cached_lookups.layers(self)):
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


_NO_GRADIENT = (
    "Model '{name}': the loss has no gradient with respect to the trainable weights, so "
    "fit() cannot train them. Without `loss=` in compile(), the loss is the sum of the "
    "add_loss() values: compute them from layer outputs or weights, not only from the "
    "model's inputs.")


def gradients_of(loss, weights, model_name):
    """d loss / d w for each of `weights`, by backpropagation: `loss.backward()`.

    `backward()` adds each gradient to what `w.grad` already holds, so the previous
    step's gradients are dropped first (set to None, which costs less than zeroing).
    """
    for weight in weights:
        weight.grad = None
    if not loss.requires_grad:
        raise ValueError(_NO_GRADIENT.format(name=model_name))
    loss.backward()
    return [weight.grad for weight in weights]


def batch_size(x):
    """The number of samples in `x` (several inputs: in the first one)."""
    return tree.flatten(x)[0].shape[0]


def track_loss(tracker, loss, batch_size):
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
