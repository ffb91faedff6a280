"""GroupNormalization: standardize each sample within groups of channels."""

import torch

from minilib import constraints, initializers, regularizers
from minilib.layers.input_spec import InputSpec
from minilib.layers.normalization.base_normalization import BaseNormalization


class GroupNormalization(BaseNormalization):
    """Normalize each sample over groups of channels.

    The channels along `axis` are split into `groups` consecutive groups; mean and
    (biased) variance are taken per sample and per group, over the group's
    channels and every other non-batch position. Then, per channel::

        y = gamma * (x - mean_group) / sqrt(var_group + epsilon) + beta

    `groups=1` is LayerNormalization over all non-batch axes, and `groups=-1` (one
    group per channel) is InstanceNormalization. It equals
    `torch.nn.functional.group_norm`, with the channels last instead of at axis 1.

    Args:
        groups: the number of groups (default 32); must divide the number of channels.
        axis: the channel axis (default -1).
        epsilon: added to the variance before the square root.
        center, scale: whether to learn `beta` and `gamma` (one value per channel).
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: as in Dense.

    Input shape:
        Any, with at least 2 dimensions.

    Output shape:
        The same as the input.

    Example:

    >>> gn = minilib.layers.GroupNormalization(groups=2)
    >>> gn(np.array([[1.0, 3.0, 10.0, 30.0]]))   # channels (0, 1) and (2, 3) together
    tensor([[-0.9995,  0.9995, -1.0000,  1.0000]], grad_fn=<AddBackward0>)
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                         gamma_regularizer, beta_constraint, gamma_constraint, **kwargs)
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        channels = input_shape[self.axis]
        groups = channels if self.groups == -1 else self.groups
        if channels is None or groups <= 0 or channels % groups:
            raise ValueError(f"GroupNormalization '{self.name}': the number of channels "
                             f"(axis {self.axis}) must be known and a multiple of groups="
                             f"{self.groups}, got an input of shape {tuple(input_shape)}.")
        self._groups = groups
        self.add_gamma_and_beta((channels,), with_gamma=self.scale, with_beta=self.center)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})

    def call(self, inputs):
        axis = self.axis % inputs.ndim
        channels = inputs.shape[axis]
        grouped = inputs.unflatten(axis, (self._groups, channels // self._groups))
        reduce_axes = [d for d in range(1, grouped.ndim) if d != axis]
        variance, mean = torch.var_mean(grouped, dim=reduce_axes, correction=0, keepdim=True)
        standardized = (grouped - mean) * torch.rsqrt(variance + self.epsilon)
        shape = [1] * inputs.ndim
        shape[axis] = channels
        return self.scale_and_shift(standardized.flatten(axis, axis + 1), shape)

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups, "axis": self.axis, "epsilon": self.epsilon,
            "center": self.center, "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
