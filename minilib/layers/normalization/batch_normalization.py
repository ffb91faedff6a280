"""BatchNormalization: normalize each feature with the statistics of the batch."""

import torch

from minilib import constraints, initializers, regularizers
from minilib.backend import config
from minilib.layers.input_spec import InputSpec
from minilib.layers.normalization.base_normalization import BaseNormalization


class BatchNormalization(BaseNormalization):
    """Normalize with batch statistics while training and moving averages otherwise.

    While training, every feature (channel) `c` is standardized with the mean and
    (biased) variance of the current batch, then scaled and shifted::

        y = gamma * (x - mean_batch) / sqrt(var_batch + epsilon) + beta

    and two running averages, kept for inference, move towards the batch values::

        moving_mean     = momentum * moving_mean     + (1 - momentum) * mean_batch
        moving_variance = momentum * moving_variance + (1 - momentum) * var_batch

    At inference (`predict`, `evaluate`, or `training=False`) the moving averages
    replace the batch statistics, so one sample's output never depends on the
    others. Setting `layer.trainable = False` also switches it to inference mode,
    as in Keras 3 (the usual way to fine-tune a pretrained model).

    With a mask `(batch, time)` on an input `(batch, time, features)`, padded steps
    are left out of the batch statistics. The weights, in Keras's order, are gamma,
    beta (trainable), moving_mean and moving_variance.

    PyTorch differences: torch's `momentum` is Keras's `1 - momentum` (Keras 0.99 is
    torch 0.01), torch tracks the *unbiased* batch variance, and its default
    epsilon is 1e-5 instead of 1e-3.

    Args:
        axis: the feature axis (default -1, channels_last; use 1 for channels_first).
        momentum: how slowly the moving statistics follow the batches.
        epsilon: added to the variance before the square root.
        center, scale: whether to learn `beta` and `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: starting values ("zeros", "ones", "zeros", "ones").
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: as in Dense.
        synchronized: multi-device statistics; accepted only as False (one device).

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> bn = minilib.layers.BatchNormalization()
    >>> x = np.array([[0.0, 20.0], [2.0, 40.0]])
    >>> bn(x, training=True)                     # each column: mean 0, std ~1
    tensor([[-0.9995, -1.0000],
            [ 0.9995,  1.0000]], grad_fn=<AddBackward0>)
    >>> [round(float(m), 3) for m in bn.moving_mean]   # 0.99 * 0 + 0.01 * batch mean
    [0.01, 0.3]
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, **kwargs):
        super().__init__(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                         gamma_regularizer, beta_constraint, gamma_constraint, **kwargs)
        if synchronized:
            raise ValueError(f"BatchNormalization '{self.name}': synchronized=True needs "
                             f"several devices; minilib trains on one. Got synchronized=True.")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.synchronized = synchronized
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"BatchNormalization '{self.name}': axis {self.axis} is out of "
                             f"range for an input of shape {tuple(input_shape)}.")
        shape = (input_shape[self.axis],)
        self.add_gamma_and_beta(shape, with_gamma=self.scale, with_beta=self.center)
        self.moving_mean = self.add_weight(name="moving_mean", shape=shape, trainable=False,
                                           initializer=self.moving_mean_initializer)
        self.moving_variance = self.add_weight(name="moving_variance", shape=shape,
                                               trainable=False,
                                               initializer=self.moving_variance_initializer)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: input_shape[self.axis]})

    def call(self, inputs, training=None, mask=None):
        axis = self.axis % inputs.ndim
        reduce_axes = [d for d in range(inputs.ndim) if d != axis]
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask, reduce_axes)
            with torch.no_grad():  # the moving statistics are state, not part of the graph
                self.moving_mean.lerp_(mean.detach(), 1.0 - self.momentum)
                self.moving_variance.lerp_(variance.detach(), 1.0 - self.momentum)
        else:
            mean, variance = self.moving_mean, self.moving_variance
        shape = [1] * inputs.ndim
        shape[axis] = -1
        inverse = torch.rsqrt(variance + self.epsilon)
        # scale_and_shift, with gamma folded into the per-channel 1 / std: one product
        # with the whole input instead of two.
        if self.gamma is not None:
            inverse = inverse * self.gamma
        outputs = (inputs - mean.reshape(shape)) * inverse.reshape(shape)
        return outputs + self.beta.reshape(shape) if self.beta is not None else outputs

    def _moments(self, inputs, mask, reduce_axes):
        if mask is None:
            variance, mean = torch.var_mean(inputs, dim=reduce_axes, correction=0)
            return mean, variance
        if mask.ndim != inputs.ndim - 1:
            raise ValueError(f"BatchNormalization '{self.name}': the mask must have one "
                             f"dimension less than the inputs, got mask shape "
                             f"{tuple(mask.shape)} for inputs {tuple(inputs.shape)}.")
        weights = mask.unsqueeze(-1).to(inputs.dtype).expand_as(inputs)
        count = weights.sum(reduce_axes, keepdim=True) + config.epsilon()
        mean = (inputs * weights).sum(reduce_axes, keepdim=True) / count
        variance = ((inputs - mean).square() * weights).sum(reduce_axes, keepdim=True) / count
        return mean.flatten(), variance.flatten()

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
            "center": self.center, "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer":
                initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
        }
