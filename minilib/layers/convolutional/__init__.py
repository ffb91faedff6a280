"""Convolution layers: a small kernel slides over sequences (1D), images (2D) or volumes (3D)."""

from minilib.layers.convolutional.conv import Conv1D, Conv2D, Conv3D
from minilib.layers.convolutional.conv_transpose import Conv2DTranspose
from minilib.layers.convolutional.depthwise_conv import DepthwiseConv2D
from minilib.layers.convolutional.separable_conv import SeparableConv2D

# Keras's longer aliases.
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution2DTranspose, SeparableConvolution2D = Conv2DTranspose, SeparableConv2D

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose", "Conv3D", "Convolution1D", "Convolution2D",
           "Convolution2DTranspose", "Convolution3D", "DepthwiseConv2D", "SeparableConv2D",
           "SeparableConvolution2D"]
