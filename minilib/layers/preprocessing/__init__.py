"""Preprocessing and augmentation layers: prepare raw data inside the model."""

__all__ = []
