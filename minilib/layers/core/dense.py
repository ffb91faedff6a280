"""Dense: the fully connected layer, the building block of multilayer perceptrons."""

import torch

from minilib import activations, constraints, initializers, regularizers
from minilib.layers.input_spec import InputSpec
from minilib.layers.layer import Layer


class Dense(Layer):
    """A fully connected layer: `output = activation(inputs @ kernel + bias)`.

    Every output unit is a weighted sum of all the inputs, plus a bias. The kernel has
    shape `(input_dim, units)`: one column of weights per output unit. (PyTorch's
    `nn.Linear` stores the transpose, `(units, input_dim)`.) The kernel is made on the
    first call, when `input_dim` is known.

    Speed: `call` spells the computation out, and runs it so when
    `use_fused_kernel` is False. By default the product and the bias go through
    `fused_linear` instead, one torch call (`torch.addmm`) for a batch of vectors,
    which is faster forwards and backwards; a test checks that both give the same
    outputs and gradients.

    Args:
        units: the number of outputs.
        activation: applied to the output; None means linear (no activation).
        use_bias: whether to add a bias vector.
        kernel_initializer: how to set the starting kernel (default "glorot_uniform").
        bias_initializer: how to set the starting bias (default "zeros").
        kernel_regularizer, bias_regularizer: optional penalties on the weights.
        activity_regularizer: optional penalty on the output.
        kernel_constraint, bias_constraint: optional projections applied after each update.

    Attributes:
        use_fused_kernel: whether `call` uses `fused_linear` (True); set it to False
            to run the readable `inputs @ kernel + bias`.

    Input shape:
        `(batch_size, ..., input_dim)`.

    Output shape:
        `(batch_size, ..., units)`.

    Example:

    >>> layer = minilib.layers.Dense(3, activation="relu")
    >>> layer(np.ones((2, 4))).shape        # builds a (4, 3) kernel on first call
    torch.Size([2, 3])
    """

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if int(units) <= 0:
            raise ValueError(f"Dense '{self.name}': units must be a positive integer, "
                             f"got {units!r}.")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True
        self.use_fused_kernel = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            name="kernel", shape=(input_dim, self.units), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.units,), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs):
        if self.use_fused_kernel:  # the same numbers as the three lines below, faster
            return self.activation(fused_linear(inputs=inputs, kernel=self.kernel,
                                                bias=self.bias))
        outputs = inputs @ self.kernel
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }


def fused_linear(*, inputs, kernel, bias):
    """`inputs @ kernel + bias` (no bias if None), with torch's fused kernel where it has one.

    For 2-D inputs `torch.addmm` computes the product and adds the bias in one call;
    other shapes take the readable route. This is the speed-up Dense uses by default.

    >>> fused_linear(inputs=torch.ones(2, 3), kernel=torch.ones(3, 4), bias=torch.arange(4.0))
    tensor([[3., 4., 5., 6.],
            [3., 4., 5., 6.]])
    """
    if bias is not None and inputs.dim() == 2:
        return torch.addmm(bias, inputs, kernel)  # bias + inputs @ kernel, in one call
    outputs = inputs @ kernel
    return outputs if bias is None else outputs + bias
