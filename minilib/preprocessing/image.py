"""Keras's `keras.preprocessing.image`: single images as files, Pillow images and arrays.

See `minilib.utils.image_utils` for what each function does.
"""

from minilib.utils.image_utils import array_to_img, img_to_array, load_img, save_img, smart_resize

__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]
