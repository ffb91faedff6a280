"""Attention layers: each position looks at every other position."""

__all__ = []
