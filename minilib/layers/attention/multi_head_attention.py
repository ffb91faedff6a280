"""MultiHeadAttention: the attention layer of transformers."""

import math

import torch

from minilib import constraints, initializers, random, regularizers
from minilib.graph.keras_tensor import KerasTensor
from minilib.layers import mask_propagation
from minilib.layers.attention.head_projection import HeadProjection
from minilib.layers.layer import Layer
from minilib.layers.layer_building import default_build


class MultiHeadAttention(Layer):
    """Multi-head scaled dot-product attention (Vaswani et al., 2017).

    Every query position looks at every key position. For one head, with `query`
    `(batch, T, dim)` and `value` (= `key` unless given) `(batch, S, dim)`::

        q = query @ Wq + bq        k = key @ Wk + bk        v = value @ Wv + bv
        scores  = softmax(q @ k.T / sqrt(key_dim))        # (batch, T, S), masked first
        head    = scores @ v                              # (batch, T, value_dim)

    `num_heads` heads run side by side with their own projections, and an output
    projection mixes them back to `dim` features (or `output_shape`)::

        output = sum over heads h of head_h @ Wo[h] + bo

    Weights use Keras's layouts, each in its own sublayer: `query_dense`,
    `key_dense`, `value_dense` hold a kernel `(dim, num_heads, key_dim)` (value:
    `value_dim`) and a bias `(num_heads, key_dim)`; `output_dense` holds a kernel
    `(num_heads, value_dim, dim)` and a bias `(dim,)`. PyTorch's
    `nn.MultiheadAttention` packs the same numbers as `in_proj_weight`
    `(3 * dim, dim)` (rows = heads * head_dim) and `out_proj.weight` `(dim, dim)`.

    Masks. A position may attend only where all of these are True: the
    `attention_mask` `(batch, T, S)`, the causal mask (`use_causal_mask=True`:
    query i sees keys j <= i), and the masks travelling with `query`, `value` and
    `key` (e.g. from `Embedding(mask_zero=True)`). Masked scores are set to -1e9
    before the softmax and to 0 after it, so a fully masked row attends to nothing.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default `key_dim`).
        dropout: dropout rate on the attention scores while training.
        use_bias: whether the projections have biases.
        output_shape: the output's last dimension(s); default the query's.
        attention_axes: the axes attention runs over (default: all but batch,
            heads and features, i.e. the sequence axis of 3-D inputs).
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: for the projections.
        seed: for the dropout.
        flash_attention: accepted for Keras compatibility; not used.
        use_gate, sliding_window: accepted only as False and None; minilib has neither.

    Input shape:
        Call it as `layer(query, value, key=None, attention_mask=None,
        return_attention_scores=False, training=None, use_causal_mask=False)`, with
        `query` `(batch, T, dim)` and `value` and `key` `(batch, S, dim)`.

    Output shape:
        `(batch, T, dim)` (`dim` = the query's last axis, or `output_shape`), plus
        the scores `(batch, num_heads, T, S)` if asked for.

    Example:

    >>> mha = minilib.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    >>> x = np.zeros((3, 5, 8), "float32")
    >>> out, scores = mha(x, x, return_attention_scores=True)     # self-attention
    >>> out.shape, scores.shape
    (torch.Size([3, 5, 8]), torch.Size([3, 2, 5, 5]))
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False,
                 sliding_window=None, seed=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for label, value in (("num_heads", num_heads), ("key_dim", key_dim),
                             ("value_dim", value_dim or key_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"MultiHeadAttention '{self.name}': {label} must be a "
                                 f"positive integer, got {value!r}.")
        if use_gate or sliding_window is not None:
            raise NotImplementedError(f"MultiHeadAttention '{self.name}': expected "
                                      f"use_gate=False and sliding_window=None, got {use_gate} "
                                      f"and {sliding_window}; minilib has neither.")
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.value_dim = value_dim or key_dim
        self.dropout = dropout
        self.use_bias = use_bias
        self._output_shape = (output_shape,) if isinstance(output_shape, int) else \
            (tuple(output_shape) if output_shape else None)
        self.attention_axes = (attention_axes,) if isinstance(attention_axes, int) else \
            (tuple(attention_axes) if attention_axes is not None else None)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self._shapes = None

    @default_build
    def build(self, query_shape, value_shape, key_shape=None):
        """Make the four projections; needs the value's (and key's) shape, so `call` runs it."""
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"MultiHeadAttention '{self.name}': value and key must have the "
                             f"same shape except the last axis, got {tuple(value_shape)} and "
                             f"{tuple(key_shape)}.")
        heads = self.num_heads
        self.query_dense = self._projection("query", query_shape[-1:], (heads, self.key_dim))
        self.key_dense = self._projection("key", key_shape[-1:], (heads, self.key_dim))
        self.value_dense = self._projection("value", value_shape[-1:], (heads, self.value_dim))
        self.output_dense = self._projection("attention_output", (heads, self.value_dim),
                                             self._output_shape or tuple(query_shape[-1:]))
        self._shapes = {"query_shape": tuple(query_shape), "value_shape": tuple(value_shape),
                        "key_shape": tuple(key_shape)}
        self.built = True

    def _projection(self, name, input_shape, output_shape):
        return HeadProjection(
            tuple(input_shape), tuple(output_shape), use_bias=self.use_bias, name=name,
            kernel_initializer=self.kernel_initializer, bias_initializer=self.bias_initializer,
            kernel_regularizer=self.kernel_regularizer, bias_regularizer=self.bias_regularizer,
            kernel_constraint=self.kernel_constraint, bias_constraint=self.bias_constraint,
            dtype=self.dtype)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        key = value if key is None else key
        if self._shapes is None:
            self.build(query.shape, value.shape, key.shape)
        mask = self._attention_mask(
            query, value, _or(query_mask, mask_propagation.mask_of(query)),
            _or(value_mask, mask_propagation.mask_of(value)),
            _or(key_mask, mask_propagation.mask_of(key)), attention_mask, use_causal_mask)
        q, k, v = self.query_dense(query), self.key_dense(key), self.value_dense(value)
        output, scores = self._attend(q, k, v, mask, training)
        output = self.output_dense(output)
        return (output, scores) if return_attention_scores else output

    def _attention_mask(self, query, value, query_mask, value_mask, key_mask, attention_mask,
                        use_causal_mask):
        """All masks combined into one boolean `(batch, T, S)` mask, or None."""
        masks = [] if attention_mask is None else [attention_mask.bool()]
        if query_mask is not None:
            masks.append(query_mask.bool().unsqueeze(-1))   # (batch, T, 1)
        for sequence_mask in (value_mask, key_mask):
            if sequence_mask is not None:
                masks.append(sequence_mask.bool().unsqueeze(-2))  # (batch, 1, S)
        if use_causal_mask:
            ones = torch.ones(query.shape[1], value.shape[1], dtype=torch.bool,
                              device=query.device)
            masks.append(torch.tril(ones).unsqueeze(0))    # query i sees keys j <= i
        if not masks:
            return None
        combined = masks[0]
        for other in masks[1:]:
            combined = combined & other
        return combined

    def _attend(self, q, k, v, mask, training):
        """Scaled dot-product attention over `attention_axes`, heads side by side.

        The projections are `(batch, *positions, heads, size)`. The attention axes
        are moved next to the last axis and flattened into one, so attention is a
        plain batched matrix product `(..., heads, T, size) @ (..., heads, size, S)`.
        """
        rank = q.dim()
        axes = self.attention_axes or tuple(range(1, rank - 2))
        axes = tuple(a % (rank - 1) for a in axes)
        others = [a for a in range(1, rank - 2) if a not in axes]
        order = [0, *others, rank - 2, *axes, rank - 1]

        def flat(x):  # (batch, *others, heads, prod(attention axes), size)
            x = x.permute(order)
            return x.reshape(*x.shape[:len(others) + 2], -1, x.shape[-1])

        scores = flat(q) @ flat(k).transpose(-1, -2) * (1.0 / math.sqrt(self.key_dim))
        head_shape = q.permute(order).shape[:-1]                  # (batch, *others, heads, *T)
        keras_shape = (*head_shape, *[k.shape[a] for a in axes])  # (..., heads, *T, *S)
        if mask is not None:
            while mask.dim() < len(keras_shape):  # add the heads axis (and any missing ones)
                mask = mask.unsqueeze(-2 * len(axes) - 1)
            mask = mask.expand(keras_shape).reshape(scores.shape)
            scores = torch.where(mask, scores, -1e9)
        probabilities = torch.softmax(scores, dim=-1)
        if mask is not None:
            probabilities = torch.where(mask, probabilities, 0.0)
        dropped = probabilities
        if training and self.dropout > 0:
            dropped = random.dropout(probabilities, self.dropout, seed=self.seed_generator)
        output = (dropped @ flat(v)).reshape(*head_shape, v.shape[-1])
        output = output.permute([order.index(a) for a in range(rank)])
        return output, probabilities.reshape(keras_shape)

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        return (*tuple(query_shape)[:-1], *(self._output_shape or tuple(query_shape)[-1:]))

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False,
                            **kwargs):
        key = value if key is None else key
        if self._shapes is None:
            self.build(query.shape, value.shape, key.shape)
        output = KerasTensor(self.compute_output_shape(query.shape), dtype=self.dtype)
        if not return_attention_scores:
            return output
        rank = len(query.shape) + 1
        axes = tuple(a % (rank - 1) for a in (self.attention_axes or range(1, rank - 2)))
        others = [query.shape[a] for a in range(1, rank - 2) if a not in axes]
        scores = (query.shape[0], *others, self.num_heads, *[query.shape[a] for a in axes],
                  *[key.shape[a] for a in axes])
        return [output, KerasTensor(scores, dtype=self.dtype)]

    def get_build_config(self):
        return {"shapes_dict": self._shapes} if self._shapes is not None else None

    def build_from_config(self, build_config):
        if build_config and self._shapes is None:
            self.build(**build_config["shapes_dict"])

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self.num_heads, "key_dim": self.key_dim, "value_dim": self.value_dim,
            "dropout": self.dropout, "use_bias": self.use_bias, "use_gate": False,
            "output_shape": self._output_shape, "attention_axes": self.attention_axes,
            "sliding_window": None,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        }


def _or(given, found):
    return given if given is not None else found
