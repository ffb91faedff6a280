"""LayerNormalization: standardize each sample over its feature axes."""

import torch

from minilib import constraints, initializers, regularizers
from minilib.layers.layer import Layer


class LayerNormalization(Layer):
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
        super().__init__(**kwargs)
        if not isinstance(axis, int | list | tuple):
            raise TypeError(f"LayerNormalization '{self.name}': axis must be an int or a list "
                            f"of ints, got {axis!r}.")
        self.axis = list(axis) if isinstance(axis, list | tuple) else axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None
        self.supports_masking = True

    def _axes(self, rank):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if any(not -rank <= a < rank for a in axes):
            raise ValueError(f"LayerNormalization '{self.name}': axis {self.axis} is out of "
                             f"range for an input with {rank} dimensions.")
        return sorted(a % rank for a in axes)

    def build(self, input_shape):
        shape = tuple(input_shape[a] for a in self._axes(len(input_shape)))
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(name="gamma", shape=shape,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(name="beta", shape=shape,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)

    def call(self, inputs):
        axes = self._axes(inputs.ndim)
        shape = [inputs.shape[d] if d in axes else 1 for d in range(inputs.ndim)]
        variance, mean = torch.var_mean(inputs, dim=axes, correction=0, keepdim=True)
        centered = inputs if self.rms_scaling else inputs - mean
        outputs = centered * torch.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            outputs = outputs * self.gamma.reshape(shape)
        return outputs + self.beta.reshape(shape) if self.beta is not None else outputs

    def compute_output_shape(self, input_shape):
        self._axes(len(input_shape))
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
