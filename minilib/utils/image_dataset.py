"""image_dataset_from_directory: read a folder of images, one subfolder per class."""

import math

import numpy as np

from minilib.utils.directory_index import (
    check_split_arguments,
    find_examples,
    shuffle_files,
    take_subset,
)
from minilib.utils.py_dataset import PyDataset

IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
PIL_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}
# Keras's interpolation names and Pillow's resampling filters (PIL.Image.Resampling).
RESAMPLING = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC",
              "area": "BOX", "lanczos3": "LANCZOS", "lanczos5": "LANCZOS"}


def load_image(path, image_size, color_mode="rgb", interpolation="bilinear",
               crop_to_aspect_ratio=False, pad_to_aspect_ratio=False):
    """One image file as a float32 array `(height, width, channels)` with values in [0, 255]."""
    from PIL import Image  # Pillow is imported only when images are read

    with Image.open(path) as image:
        image = image.convert(PIL_MODES[color_mode])
    height, width = image_size
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        # The largest centred box with the target aspect ratio (crop), or the
        # smallest one around the whole image (pad); padding is black.
        scale = (min if crop_to_aspect_ratio else max)(image.width / width,
                                                      image.height / height)
        box_w, box_h = round(width * scale), round(height * scale)
        left, top = (image.width - box_w) // 2, (image.height - box_h) // 2
        image = image.crop((left, top, left + box_w, top + box_h))
    image = image.resize((width, height), getattr(Image.Resampling, RESAMPLING[interpolation]))
    array = np.asarray(image, dtype="float32")
    return array[..., None] if array.ndim == 2 else array


class ImageDirectoryDataset(PyDataset):
    """Batches `(images, labels)` (or just images) read from a list of files.

    Attributes:
        file_paths: the image files, in the order of the first epoch.
        class_names: the class of each label index (the subfolder names), or None.
    """

    def __init__(self, file_paths, labels, class_names, label_mode, batch_size, image_size,
                 shuffle, seed, load_options):
        super().__init__()
        self.file_paths, self.labels, self.class_names = file_paths, labels, class_names
        self.label_mode, self.batch_size, self.image_size = label_mode, batch_size, image_size
        self.load_options = load_options
        self.order = np.arange(len(file_paths))
        self.rng = np.random.RandomState(seed) if shuffle else None

    def __len__(self):
        return math.ceil(len(self.file_paths) / self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} out of range for {len(self)} batches.")
        picked = self.order[index * self.batch_size:(index + 1) * self.batch_size]
        images = np.stack([load_image(self.file_paths[i], self.image_size, **self.load_options)
                           for i in picked])
        if self.label_mode is None:
            return images
        labels = self.labels[picked]
        if self.label_mode == "categorical":
            return images, np.eye(len(self.class_names), dtype="float32")[labels]
        if self.label_mode == "binary":
            return images, labels.astype("float32")[:, None]
        return images, labels

    def on_epoch_end(self):
        if self.rng is not None:
            self.rng.shuffle(self.order)


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, verbose=True):
    """A `PyDataset` of image batches from a folder tree, for `fit`.

    Images are loaded (with Pillow) only when a batch is asked for, so the folder
    may be larger than memory.

    Args:
        directory: the folder. With `labels="inferred"` each subfolder is a class and
            the class index follows the sorted subfolder names.
        labels: `"inferred"`, a list with one integer label per image file (files sorted
            by path), or None for images only.
        label_mode: `"int"` (class indices, int32), `"categorical"` (one-hot float32),
            `"binary"` (float32 of shape `(batch, 1)`, for 2 classes) or None (no labels).
        class_names: with `labels="inferred"`, which subfolders to use, in this order.
        color_mode: `"grayscale"` (1 channel), `"rgb"` (3) or `"rgba"` (4).
        batch_size: images per batch.
        image_size: `(height, width)` every image is resized to.
        shuffle: shuffle the files (with `seed`) before splitting, and again every epoch.
        seed: random seed; required with both `shuffle` and `validation_split`, so that
            the training and validation subsets do not overlap.
        validation_split: fraction of the files kept for validation (the last ones).
        subset: `"training"`, `"validation"` or `"both"` (returns the pair) when
            `validation_split` is set.
        interpolation: resizing method: `"bilinear"`, `"nearest"`, `"bicubic"`,
            `"area"`, `"lanczos3"` or `"lanczos5"`.
        follow_links: follow symbolic links to folders.
        crop_to_aspect_ratio: crop the centre to the target aspect ratio before resizing,
            instead of stretching.
        pad_to_aspect_ratio: pad with black to the target aspect ratio before resizing.
        verbose: print how many files and classes were found.

    Returns:
        An `ImageDirectoryDataset` whose items are `(images, labels)` with images of
        shape `(batch, height, width, channels)`, float32 in [0, 255]; it has
        `class_names`. With `subset="both"`, a pair `(training, validation)`.

    Example, with a folder of ten images:

        flowers/
            daisy/   img001.jpg  img002.jpg ...
            tulip/   img101.png ...

    >>> train = minilib.utils.image_dataset_from_directory(
    ...     "flowers", image_size=(64, 64), batch_size=4,
    ...     validation_split=0.2, subset="training", seed=1)
    Found 10 files belonging to 2 classes.
    Using 8 files for training.
    >>> train.class_names
    ['daisy', 'tulip']
    >>> images, labels = train[0]       # a batch of NumPy arrays, pixels in [0, 255]
    >>> images.shape, images.dtype, labels.shape, labels.dtype
    ((4, 64, 64, 3), dtype('float32'), (4,), dtype('int32'))
    >>> model = minilib.Sequential([minilib.layers.Flatten(),
    ...                             minilib.layers.Dense(2, activation="softmax")])
    >>> model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    >>> history = model.fit(train, epochs=5, verbose=0)
    """
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f'label_mode must be "int", "categorical", "binary" or None, '
                         f"got {label_mode!r}.")
    if color_mode not in PIL_MODES:
        raise ValueError(f'color_mode must be "grayscale", "rgb" or "rgba", got {color_mode!r}.')
    if interpolation not in RESAMPLING:
        raise ValueError(f"interpolation must be one of {sorted(RESAMPLING)}, "
                         f"got {interpolation!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Choose crop_to_aspect_ratio or pad_to_aspect_ratio, not both.")
    image_size = (image_size, image_size) if isinstance(image_size, int) else tuple(image_size)
    check_split_arguments(validation_split, subset, shuffle, seed)
    if labels is None or label_mode is None:
        labels = label_mode = None

    paths, label_array, class_names = find_examples(directory, labels, label_mode,
                                                    IMAGE_EXTENSIONS, class_names,
                                                    follow_links, verbose)
    if shuffle:
        seed = np.random.randint(1_000_000) if seed is None else seed
        paths, label_array = shuffle_files(paths, label_array, seed)

    def make(part, shuffle_each_epoch):
        part_paths, part_labels = take_subset(paths, label_array, validation_split, part,
                                              verbose)
        return ImageDirectoryDataset(
            part_paths, part_labels, class_names, label_mode, batch_size, image_size,
            shuffle_each_epoch, seed,
            dict(color_mode=color_mode, interpolation=interpolation,
                 crop_to_aspect_ratio=crop_to_aspect_ratio,
                 pad_to_aspect_ratio=pad_to_aspect_ratio))

    if subset == "both":
        return make("training", shuffle), make("validation", False)
    return make(subset, shuffle and subset != "validation")
