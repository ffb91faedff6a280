"""Images as files, Pillow images and NumPy arrays: load_img, img_to_array, array_to_img, save_img.

Arrays are `(height, width, channels)` ("channels_last") unless
`data_format="channels_first"` says `(channels, height, width)`; Pillow
counts sizes as `(width, height)`, so these functions swap for you.
"""

import io
import os
import pathlib
import warnings

import numpy as np
import torch

from minilib.backend.config import floatx
from minilib.layers.preprocessing.image_utils import from_nchw, resize, to_nchw

# Keras's interpolation names and Pillow's resampling filters (PIL.Image.Resampling).
PIL_RESAMPLING = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC",
                  "hamming": "HAMMING", "box": "BOX", "lanczos": "LANCZOS"}
PIL_MODE_OF_CHANNELS = {1: "L", 3: "RGB", 4: "RGBA"}


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """Read an image file into a Pillow image, optionally converted and resized.

    Args:
        path: a file path (str, bytes or `pathlib.Path`) or an `io.BytesIO`.
        color_mode: `"rgb"`, `"rgba"` or `"grayscale"` (8-bit, unless the file
            already holds 16- or 32-bit grayscale).
        target_size: None (keep the size) or `(height, width)`.
        interpolation: how to resize: `"nearest"`, `"bilinear"`, `"bicubic"`,
            `"hamming"`, `"box"` or `"lanczos"`.
        keep_aspect_ratio: cut the largest centred window with the aspect ratio of
            `target_size` before resizing, instead of stretching the image.

    Returns:
        A `PIL.Image.Image`.

    Example:

    >>> image = minilib.utils.load_img("cat.jpg")                  # a PIL.Image.Image
    >>> image.size, image.mode                                 # Pillow: (width, height)
    ((320, 240), 'RGB')
    >>> digit = minilib.utils.load_img("cat.jpg", color_mode="grayscale", target_size=(28, 28))
    >>> minilib.utils.img_to_array(digit).shape
    (28, 28, 1)
    """
    from PIL import Image

    if isinstance(path, io.BytesIO):
        image = Image.open(path)
    elif isinstance(path, str | bytes | pathlib.Path):
        with open(path, "rb") as file:  # read it all, so no file stays open
            image = Image.open(io.BytesIO(file.read()))
    else:
        raise TypeError(f"load_img: path must be a file path or an io.BytesIO, "
                        f"got {type(path).__name__}.")
    if color_mode == "grayscale":
        if image.mode not in ("L", "I;16", "I"):
            image = image.convert("L")
    elif color_mode in ("rgb", "rgba"):
        if image.mode != color_mode.upper():
            image = image.convert(color_mode.upper())
    else:
        raise ValueError(f'load_img: color_mode must be "grayscale", "rgb" or "rgba", '
                         f"got {color_mode!r}.")
    if target_size is None or image.size == (target_size[1], target_size[0]):
        return image
    if interpolation not in PIL_RESAMPLING:
        raise ValueError(f"load_img: interpolation must be one of {list(PIL_RESAMPLING)}, "
                         f"got {interpolation!r}.")
    height, width = target_size
    box = None
    if keep_aspect_ratio:
        box_width = min(image.width, image.height * width // height)
        box_height = min(image.height, image.width * height // width)
        left, top = (image.width - box_width) // 2, (image.height - box_height) // 2
        box = (left, top, left + box_width, top + box_height)
    resampling = getattr(Image.Resampling, PIL_RESAMPLING[interpolation])
    return image.resize((width, height), resampling, box=box)


def img_to_array(img, data_format=None, dtype=None):
    """A Pillow image as a 3D NumPy array: `(height, width, channels)` by default.

    Args:
        img: a `PIL.Image.Image` (or anything `np.asarray` takes, such as a 2D array).
        data_format: `"channels_last"` (the default) or `"channels_first"`.
        dtype: the array's dtype; defaults to `minilib.config.floatx()`.

    Example:

    >>> x = minilib.utils.img_to_array(minilib.utils.load_img("cat.jpg", target_size=(224, 224)))
    >>> x.shape, x.dtype                                       # float32, values 0..255
    ((224, 224, 3), dtype('float32'))
    >>> x[None].shape                          # a batch of one image, for model.predict
    (1, 224, 224, 3)
    """
    channels_first = _is_channels_first(data_format)
    array = np.asarray(img, dtype=dtype or floatx())
    if array.ndim == 2:  # grayscale: give it its one channel
        array = array[None] if channels_first else array[..., None]
    elif array.ndim == 3:
        array = array.transpose(2, 0, 1) if channels_first else array
    else:
        raise ValueError(f"img_to_array: expected an image of 2 or 3 dimensions, got shape "
                         f"{array.shape}.")
    return array


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A 3D array (one image) as a Pillow image; 1, 3 or 4 channels give L, RGB or RGBA.

    Args:
        x: the image, `(height, width, channels)` (or channels first).
        data_format: `"channels_last"` (the default) or `"channels_first"`.
        scale: stretch the values so the smallest is 0 and the largest 255;
            with False the values must already be in 0..255.
        dtype: the dtype the values are first converted to; defaults to floatx.

    Example:

    >>> image = minilib.utils.array_to_img(np.random.default_rng(0).random((32, 48, 3)))
    >>> image.size, image.mode                                 # values scaled to 0..255
    ((48, 32), 'RGB')
    """
    from PIL import Image

    channels_first = _is_channels_first(data_format)
    x = np.asarray(x, dtype=dtype or floatx())
    if x.ndim != 3:
        raise ValueError(f"array_to_img: expected one image of 3 dimensions, got shape "
                         f"{x.shape}.")
    x = x.transpose(1, 2, 0) if channels_first else x
    if scale:
        x = x - x.min()
        if x.max() != 0:
            x = x / x.max()
        x = x * 255
    channels = x.shape[2]
    if channels not in PIL_MODE_OF_CHANNELS:
        raise ValueError(f"array_to_img: expected 1, 3 or 4 channels, got {channels} "
                         f"(shape {x.shape}).")
    if channels == 1 and x.max() > 255:  # more than 8 bits of gray: Pillow's 32-bit mode "I"
        return Image.fromarray(x[:, :, 0].astype("int32"), "I")
    pixels = x.astype("uint8")
    return Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels,
                           PIL_MODE_OF_CHANNELS[channels])


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Write a 3D array as an image file; the format follows the file name's suffix.

    Args:
        path: a file path, or a file object (then pass `file_format`).
        x: the image array (see `array_to_img`).
        data_format: `"channels_last"` (the default) or `"channels_first"`.
        file_format: `"png"`, `"jpeg"`, ...; None takes the suffix of `path`.
        scale: stretch the values to 0..255 (see `array_to_img`).
        **kwargs: passed on to `PIL.Image.Image.save`, such as `quality=95`.

    Example:

    >>> x = minilib.utils.img_to_array(minilib.utils.load_img("cat.jpg"))
    >>> minilib.utils.save_img("brighter.png", np.clip(x * 1.5, 0, 255), scale=False)
    >>> minilib.utils.load_img("brighter.png").size
    (320, 240)
    """
    if file_format is None and isinstance(path, str | os.PathLike):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"  # Pillow's name for it
    image = array_to_img(x, data_format=data_format, scale=scale)
    if image.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("save_img: JPEG has no alpha channel; saving the RGB channels only.",
                      stacklevel=2)
        image = image.convert("RGB")
    image.save(path, format=file_format or None, **kwargs)


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last"):
    """Resize an image or a batch to `size` without distorting it: crop, then resize.

    The largest centred window with the aspect ratio of `size` is cut out, and
    only that is resized, so nothing is stretched; the parts outside the window
    are lost. For example a (340, 500) image and `size=(200, 200)`: the centred
    (340, 340) window becomes (200, 200).

    Args:
        x: an image `(height, width, channels)` or a batch `(batch, height, width,
            channels)`, as a NumPy array or a torch tensor.
        size: `(height, width)`.
        interpolation: `"bilinear"`, `"nearest"` or `"bicubic"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        The resized image(s), a NumPy array for a NumPy input, else a tensor.
        Integer images are rounded back to their dtype.

    Example:

    >>> photo = minilib.utils.img_to_array(minilib.utils.load_img("cat.jpg"))   # 240 x 320
    >>> minilib.preprocessing.image.smart_resize(photo, (200, 200)).shape   # not stretched
    (200, 200, 3)
    """
    if len(size) != 2:
        raise ValueError(f"smart_resize: size must be (height, width), got {size!r}.")
    if interpolation not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f'smart_resize: interpolation must be "bilinear", "nearest" or '
                         f'"bicubic" (PyTorch has no Lanczos), got {interpolation!r}.')
    channels_first = _is_channels_first(data_format)
    images = torch.as_tensor(x)
    if images.ndim not in (3, 4):
        raise ValueError(f"smart_resize: expected an image (height, width, channels) or a "
                         f"batch of them, got shape {tuple(images.shape)}.")
    layout = "channels_first" if channels_first else "channels_last"
    batch, single = to_nchw(images, layout, "smart_resize")
    resized = from_nchw(resize(batch, size, interpolation, crop_to_aspect_ratio=True), layout,
                        single)
    if not images.is_floating_point():  # round, and keep bicubic's overshoot in range
        limits = torch.iinfo(images.dtype)
        resized = resized.round().clamp(limits.min, limits.max).to(images.dtype)
    return resized.numpy() if isinstance(x, np.ndarray) else resized


def _is_channels_first(data_format):
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError(f'data_format must be "channels_last" or "channels_first", '
                         f"got {data_format!r}.")
    return data_format == "channels_first"
