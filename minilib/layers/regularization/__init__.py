"""Regularization layers: noise and penalties that fight overfitting while training."""

from minilib.layers.regularization.dropout import Dropout

__all__ = ["Dropout"]
