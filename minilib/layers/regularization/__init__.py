"""Regularization layers: noise and penalties that fight overfitting while training."""

from minilib.layers.regularization.activity_regularization import ActivityRegularization
from minilib.layers.regularization.dropout import Dropout
from minilib.layers.regularization.gaussian_dropout import GaussianDropout
from minilib.layers.regularization.gaussian_noise import GaussianNoise
from minilib.layers.regularization.spatial_dropout1d import SpatialDropout1D
from minilib.layers.regularization.spatial_dropout2d import SpatialDropout2D

__all__ = ["ActivityRegularization", "Dropout", "GaussianDropout", "GaussianNoise",
           "SpatialDropout1D", "SpatialDropout2D"]
