"""Sequence layers: embeddings, recurrent networks and masking."""

__all__ = []
