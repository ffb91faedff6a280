"""HeadProjection: a Dense layer whose input and output may have several axes.

MultiHeadAttention projects each position's features into `(heads, size)` and
later mixes `(heads, size)` back into features. Both are one matrix product
once the axes are flattened::

    kernel: input_shape + output_shape, e.g. (dim, heads, key_dim)
    output = (inputs.flatten(last axes) @ kernel.reshape(in, out)).reshape(..., *output_shape)

Keras does this with `EinsumDense`; this small layer keeps the same weight
shapes (kernel `(*input_shape, *output_shape)`, bias `output_shape`), so
weights move between the two unchanged. It is used inside MultiHeadAttention
and not exported.

Args:
    input_shape: the trailing axes that are contracted, e.g. `(dim,)`.
    output_shape: the axes produced, e.g. `(heads, key_dim)`.
    use_bias, kernel_*/bias_* initializer, regularizer, constraint: as Dense.
"""

import math

from minilib import constraints, initializers, ops, regularizers
from minilib.layers.layer import Layer


class HeadProjection(Layer):
    """Project the last `len(input_shape)` axes to `output_shape` (not public)."""

    def __init__(self, input_shape, output_shape, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.in_shape, self.out_shape = tuple(input_shape), tuple(output_shape)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.kernel = self.add_weight(
            name="kernel", shape=(*self.in_shape, *self.out_shape),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = None
        if use_bias:
            self.bias = self.add_weight(
                name="bias", shape=self.out_shape, initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs):
        lead = inputs.shape[:inputs.dim() - len(self.in_shape)]
        kernel = self.kernel.reshape(math.prod(self.in_shape), -1)
        bias = None if self.bias is None else self.bias.reshape(-1)
        outputs = ops.linear(inputs.reshape(*lead, -1), kernel, bias)
        return outputs.reshape(*lead, *self.out_shape)

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape)[:len(input_shape) - len(self.in_shape)], *self.out_shape)

    def get_config(self):
        return {**super().get_config(), "input_shape": self.in_shape,
                "output_shape": self.out_shape, "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint)}
