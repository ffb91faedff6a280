"""Glyph digits: an MNIST-like set of 28x28 images of the digits 0-9, made offline.

Each image is a digit typed in one of the fonts that ship with matplotlib
(DejaVu, STIX and Computer Modern: serif, sans, mono, bold, italic), then
distorted the way handwriting varies: random rotation, shear, scaling, shift,
a gentle elastic wobble, thicker or thinner strokes, and a little noise. Like
MNIST the digit is white (up to 255) on black (0) and roughly centred in a
20x20 box, so a digit seen at a new position or angle is still the same digit;
this is why a small convolutional network beats a dense one here.

The images are generated with a fixed seed the first time you load them (a few
seconds) and then kept in the cache folder (`~/.minilib/datasets`, or
`$MINILIB_HOME/datasets`), so every call returns the same arrays. Each digit
has exactly 1,200 images in all.
"""

from pathlib import Path

import numpy as np

from minilib.datasets._cache import cached_arrays

NUM_TRAIN, NUM_TEST = 10_000, 2_000
IMAGE_SIZE, DIGIT_BOX = 28, 20
FONT_FILES = [
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf",
    "DejaVuSansMono-Oblique.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf", "STIXGeneral.ttf",
    "STIXGeneralBol.ttf", "STIXGeneralItalic.ttf", "STIXGeneralBolIta.ttf",
    "cmr10.ttf", "cmss10.ttf", "cmtt10.ttf", "cmti10.ttf", "cmb10.ttf",
]
STROKE_WIDENINGS = [1, 3, 5]  # grey dilation sizes on the ~48-pixel glyph
CANVAS = 80  # templates are square canvases with the glyph's centre of mass in the middle
SEED = 20240611
VERSION = 1  # bump when the generator changes, so that old caches are not reused


def _render(font_file, digit):
    """The glyph as a float image in [0, 1] (ink = 1), about 48 pixels tall."""
    import matplotlib
    from matplotlib.ft2font import FT2Font, LoadFlags

    font = FT2Font(str(Path(matplotlib.get_data_path(), "fonts", "ttf", font_file)))
    font.set_size(64, 72)
    font.set_text(str(digit), 0.0, flags=LoadFlags.NO_HINTING)
    font.draw_glyphs_to_bitmap(antialiased=True)
    return np.asarray(font.get_image(), dtype="float64") / 255


def _templates():
    """Glyphs of every (digit, font, stroke width), each centred on a canvas.

    Returns the canvases `(10 * per_digit, CANVAS, CANVAS)`, digit by digit, and each
    glyph's size in pixels (the longer side of its bounding box).
    """
    from scipy import ndimage

    templates, sizes = [], []
    for digit in range(10):
        for font_file in FONT_FILES:
            glyph = _render(font_file, digit)
            for widening in STROKE_WIDENINGS:
                thick = ndimage.grey_dilation(glyph, size=(widening, widening))
                canvas = np.zeros((CANVAS, CANVAS))
                top, left = CANVAS // 2 - np.round(ndimage.center_of_mass(thick)).astype(int)
                canvas[top:top + thick.shape[0], left:left + thick.shape[1]] = thick
                templates.append(ndimage.gaussian_filter(canvas, 0.8))  # soften before shrinking
                rows, cols = np.nonzero(thick > 0.05)
                sizes.append(max(np.ptp(rows), np.ptp(cols)) + 1)
    return np.stack(templates), np.array(sizes)


def _distort(templates, picked, sizes, rng):
    """28x28 images of `templates[picked]` under random affine maps and a smooth wobble."""
    from scipy import ndimage

    n = len(picked)
    angle = np.deg2rad(rng.uniform(-15, 15, n))
    cos, sin = np.cos(angle), np.sin(angle)
    rotation = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    shear = np.tile(np.eye(2), (n, 1, 1))
    shear[:, 1, 0] = rng.uniform(-0.3, 0.3, n)
    zoom = DIGIT_BOX / sizes[picked] * rng.uniform(0.75, 1.1, n)
    scale = zoom[:, None] * np.stack([rng.uniform(0.9, 1.1, n), np.ones(n)], -1)
    backward = np.linalg.inv(rotation @ shear * scale[:, None, :])  # image -> template
    shift = rng.uniform(-3, 3, (n, 2))

    grid = np.indices((IMAGE_SIZE, IMAGE_SIZE), dtype="float64").reshape(2, -1)
    wobble = ndimage.gaussian_filter(rng.normal(size=(n, 2, IMAGE_SIZE, IMAGE_SIZE)),
                                     sigma=(0, 0, 4, 4)) * 12
    centred = grid + wobble.reshape(n, 2, -1) - (IMAGE_SIZE / 2 - 0.5 + shift)[:, :, None]
    rows_cols = backward @ centred + CANVAS / 2 - 0.5
    # One (template, row, column) point per output pixel: a single call samples every image.
    which = np.broadcast_to(picked[:, None, None], (n, 1, grid.shape[1]))
    coordinates = np.concatenate([which, rows_cols], axis=1).transpose(1, 0, 2).reshape(3, -1)
    images = ndimage.map_coordinates(templates, coordinates, order=1)
    images = images.reshape(n, IMAGE_SIZE, IMAGE_SIZE) * rng.uniform(0.8, 1.0, (n, 1, 1))
    images += rng.normal(0, 0.04, images.shape)
    return np.clip(np.round(images * 255), 0, 255).astype("uint8")


def _generate():
    rng = np.random.default_rng(SEED)
    templates, sizes = _templates()
    per_digit = len(templates) // 10
    digits = rng.permutation(np.arange(NUM_TRAIN + NUM_TEST) % 10)  # exactly balanced classes
    picked = digits * per_digit + rng.integers(0, per_digit, len(digits))
    chunks = np.array_split(picked, 12)  # a thousand images at a time bounds the memory used
    images = [_distort(templates, chunk, sizes, rng) for chunk in chunks]
    return {"x": np.concatenate(images), "y": digits.astype("uint8")}


def load_data():
    """The glyph digits, split like MNIST's `load_data`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `x_train` uint8 of shape
        `(10000, 28, 28)`, `y_train` uint8 digits 0-9 of shape `(10000,)`, and
        2,000 test images the same way.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = minilib.datasets.glyph_digits.load_data()
    >>> x_train.shape, x_train.dtype, y_train[:5]
    ((10000, 28, 28), dtype('uint8'), array([1, 7, 6, 2, 1], dtype=uint8))
    >>> x_train = x_train.astype("float32") / 255    # scale to [0, 1] for training
    """
    data = cached_arrays(f"glyph_digits_v{VERSION}", _generate)
    x, y = data["x"], data["y"]
    return (x[:NUM_TRAIN], y[:NUM_TRAIN]), (x[NUM_TRAIN:], y[NUM_TRAIN:])
