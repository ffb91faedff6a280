"""Normalization layers: rescale activations to a steady mean and spread."""

__all__ = []
