"""BaseNormalization: the learned scale and shift that every normalization layer ends with.

A normalization layer first standardizes its input to mean 0 and variance 1,
with the statistics of the batch (BatchNormalization), of one sample
(LayerNormalization) or of a group of channels (GroupNormalization). Then, so
that the network can still give each feature any mean and spread it needs, it
scales and shifts every feature by learned weights::

    y = gamma * x_standardized + beta

`gamma` starts at 1 and `beta` at 0, so a new layer only standardizes.
`scale=False` leaves `gamma` out (y is not scaled) and `center=False` leaves
`beta` out (y is not shifted).
"""

from minilib import constraints, initializers, regularizers
from minilib.layers.layer import Layer


class BaseNormalization(Layer):
    """The shared part of the normalization layers: the weights `gamma` and `beta`.

    Each subclass computes its own statistics; in `build` it calls
    `add_gamma_and_beta` and in `call` it may finish with `scale_and_shift`.

    Args:
        center, scale: whether to learn `beta` and `gamma`.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: as in Dense.
    """

    def __init__(self, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None
        self.supports_masking = True

    def add_gamma_and_beta(self, shape, with_gamma, with_beta):
        """Create the weights `gamma` (if `with_gamma`) and `beta` (if `with_beta`), in that order.

        Both have `shape`, one value per normalized feature.
        """
        if with_gamma:
            self.gamma = self.add_weight(name="gamma", shape=shape,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if with_beta:
            self.beta = self.add_weight(name="beta", shape=shape,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)

    def scale_and_shift(self, standardized, shape):
        """`gamma * standardized + beta`, with `gamma` and `beta` reshaped to `shape` first.

        `shape` has the rank of `standardized`, with 1 on the axes they broadcast over.
        """
        outputs = standardized
        if self.gamma is not None:
            outputs = outputs * self.gamma.reshape(shape)
        return outputs + self.beta.reshape(shape) if self.beta is not None else outputs

    def compute_output_shape(self, input_shape):
        return input_shape
