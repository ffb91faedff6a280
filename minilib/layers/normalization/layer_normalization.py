"""LayerNormalization: standardize each sample over its feature axes."""

import torch

from minilib import constraints, initializers, regularizers
from minilib.layers.normalization.base_normalization import BaseNormalization


class LayerNormalization(BaseNormalization):
    """Normalize each sample over `axis`, then scale by `gamma` and shift by `beta`.

    Unlike BatchNormalization, the statistics come from one sample alone, so the
    layer behaves the same in training and inference and has no moving state::

        y = gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta

    where mean and (biased) variance are taken over `axis` for every sample.
    It is `torch.nn.functional.layer_norm` with Keras's default epsilon 1e-3.

    Args:
        axis: the axis or list of axes to normalize over (default -1). `gamma` and
            `beta` have one value per position along those axes.
        epsilon: added to the variance before the square root.
        center, scale: whether to learn `beta` and `gamma`.
        rms_scaling: Keras's deprecated option: skip centering and `beta`, computing
            `y = gamma * x / sqrt(var(x) + epsilon)` (the variance, not the root mean
            square, as Keras does; kept for compatibility).
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: as in Dense.

    Input shape:
        Any.

    Output shape:
        The same as the input.

    Example:

    >>> ln = minilib.layers.LayerNormalization()
    >>> ln(np.array([[1.0, 2.0, 3.0]]))           # the row gets mean 0, std ~1
    tensor([[-1.2238,  0.0000,  1.2238]], grad_fn=<AddBackward0>)
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                         gamma_regularizer, beta_constraint, gamma_constraint, **kwargs)
        if not isinstance(axis, int | list | tuple):
            raise TypeError(f"LayerNormalization '{self.name}': axis must be an int or a list "
                            f"of ints, got {axis!r}.")
        self.axis = list(axis) if isinstance(axis, list | tuple) else axis
        self.epsilon = epsilon
        self.rms_scaling = rms_scaling

    def _axes(self, rank):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if any(not -rank <= a < rank for a in axes):
            raise ValueError(f"LayerNormalization '{self.name}': axis {self.axis} is out of "
                             f"range for an input with {rank} dimensions.")
        return sorted(a % rank for a in axes)

    def build(self, input_shape):
        shape = tuple(input_shape[a] for a in self._axes(len(input_shape)))
        self.add_gamma_and_beta(shape, with_gamma=self.scale or self.rms_scaling,
                                with_beta=self.center and not self.rms_scaling)

    def call(self, inputs):
        axes = self._axes(inputs.ndim)
        shape = [inputs.shape[d] if d in axes else 1 for d in range(inputs.ndim)]
        variance, mean = torch.var_mean(inputs, dim=axes, correction=0, keepdim=True)
        centered = inputs if self.rms_scaling else inputs - mean
        return self.scale_and_shift(centered * torch.rsqrt(variance + self.epsilon), shape)

    def compute_output_shape(self, input_shape):
        self._axes(len(input_shape))  # a clear error for an axis out of range
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
            "scale": self.scale, "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
