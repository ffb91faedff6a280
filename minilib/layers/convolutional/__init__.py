"""Convolution layers: a small kernel slides over sequences (1D) or images (2D)."""

__all__ = []
