"""Pooling layers: shrink sequences or images by taking the max or mean of each window."""

__all__ = []
