"""Embedding: turn integer tokens into learned dense vectors."""

import torch

from minilib import constraints, initializers, regularizers
from minilib.layers.layer import Layer


class Embedding(Layer):
    """A lookup table of vectors, one per token.

    The layer holds a table `embeddings` of shape `(input_dim, output_dim)`: row
    `i` is the vector of token `i`. Calling it just looks rows up::

        output[b, t] = embeddings[tokens[b, t]]

    which equals `one_hot(tokens) @ embeddings`, without building the one-hot
    matrix. PyTorch's `nn.Embedding` stores the same table (its `weight`).

    With `mask_zero=True`, token 0 means "padding": the layer also makes the mask
    `tokens != 0`, which travels with the output to the layers that use it (an
    LSTM then skips the padded steps; see `minilib/layers/mask_propagation.py`).
    Token 0 must then not be a real word, so `input_dim` should be the vocabulary
    size + 1.

    Args:
        input_dim: the vocabulary size (largest token + 1).
        output_dim: the length of each vector.
        embeddings_initializer: default "uniform", i.e. RandomUniform(-0.05, 0.05).
        embeddings_regularizer, embeddings_constraint: for the table.
        mask_zero: treat token 0 as padding and make a mask.
        weights: optional initial table, a `(input_dim, output_dim)` array.
        activity_regularizer: a penalty on the output.
        quantization_config: accepted only as None; minilib does not quantize.

    Input shape:
        `(batch, ...)` integers in `[0, input_dim)`.

    Output shape:
        `(batch, ..., output_dim)`.

    Example:

    >>> emb = minilib.layers.Embedding(1000, 8, mask_zero=True)
    >>> out = emb(np.array([[5, 7, 0, 0]]))
    >>> out.shape, out._keras_mask
    (torch.Size([1, 4, 8]), tensor([[ True,  True, False, False]]))
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, activity_regularizer=None, quantization_config=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for label, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Embedding '{self.name}': {label} must be a positive "
                                 f"integer, got {value!r}.")
        if quantization_config is not None:
            raise NotImplementedError(f"Embedding '{self.name}': expected "
                                      f"quantization_config=None, got {quantization_config!r}; "
                                      f"minilib does not quantize.")
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        if weights is not None:
            self.build(None)
            self.built = True
            self.set_weights(weights if isinstance(weights, list) else [weights])

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            name="embeddings", shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer, regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint)

    def call(self, inputs):
        if inputs.is_floating_point() or inputs.dtype == torch.bool:
            inputs = inputs.long()
        try:
            return torch.nn.functional.embedding(inputs, self.embeddings)
        except IndexError:  # torch only says "index out of range in self"
            raise IndexError(
                f"Embedding layer '{self.name}' has rows 0..{self.input_dim - 1} "
                f"(input_dim={self.input_dim}), but received indices from {int(inputs.min())} "
                f"to {int(inputs.max())}. Make input_dim larger than the largest index."
            ) from None

    def compute_mask(self, inputs, previous_mask=None):
        return inputs != 0 if self.mask_zero else None

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }
