"""Attention layers: each position looks at every other position."""

from minilib.layers.attention.multi_head_attention import MultiHeadAttention

__all__ = ["MultiHeadAttention"]
