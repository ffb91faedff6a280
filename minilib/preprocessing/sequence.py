"""Keras's `keras.preprocessing.sequence`: `pad_sequences` (see `minilib.utils.sequence_utils`)."""

from minilib.utils.sequence_utils import pad_sequences

__all__ = ["pad_sequences"]
