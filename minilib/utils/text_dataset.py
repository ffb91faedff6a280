"""text_dataset_from_directory: read a folder of .txt files, one subfolder per class."""

import math

import numpy as np

from minilib.utils.directory_index import (
    check_split_arguments,
    find_examples,
    shuffle_files,
    take_subset,
)
from minilib.utils.py_dataset import PyDataset


class TextDirectoryDataset(PyDataset):
    """Batches `(texts, labels)` (or just texts) read from a list of text files.

    Attributes:
        file_paths: the text files, in the order of the first epoch.
        class_names: the class of each label index (the subfolder names), or None.
    """

    def __init__(self, file_paths, labels, class_names, label_mode, batch_size, max_length,
                 shuffle, seed):
        super().__init__()
        self.file_paths, self.labels, self.class_names = file_paths, labels, class_names
        self.label_mode, self.batch_size, self.max_length = label_mode, batch_size, max_length
        self.order = np.arange(len(file_paths))
        self.rng = np.random.RandomState(seed) if shuffle else None

    def __len__(self):
        return math.ceil(len(self.file_paths) / (self.batch_size or 1))

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"Batch index {index} out of range for {len(self)} batches.")
        if self.batch_size is None:  # unbatched: one (text, label) sample per item
            picked = self.order[index:index + 1]
        else:
            picked = self.order[index * self.batch_size:(index + 1) * self.batch_size]
        texts = np.array([self._read(self.file_paths[i]) for i in picked])
        if self.label_mode is not None:
            labels = _encode_labels(self.labels[picked], self.label_mode, len(self.class_names))
        if self.batch_size is None:
            return texts[0] if self.label_mode is None else (texts[0], labels[0])
        return texts if self.label_mode is None else (texts, labels)

    def on_epoch_end(self):
        if self.rng is not None:
            self.rng.shuffle(self.order)

    def _read(self, path):
        with open(path, encoding="utf-8", newline="") as file:  # keep "\r\n" as Keras does
            return file.read(self.max_length)  # read(None) reads everything


def _encode_labels(labels, label_mode, num_classes):
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels]
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    return labels


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                batch_size=32, max_length=None, shuffle=True, seed=None,
                                validation_split=None, subset=None, follow_links=False,
                                format="tf", verbose=True):
    """A `PyDataset` of text batches from a folder tree, for `fit` or your own tokenizer.

    Files are read (as UTF-8) only when a batch is asked for. IMDB's reviews
    (`aclImdb/train`, 25,000 files) load the same way as the small folder below.

    Args:
        directory: the folder. With `labels="inferred"` each subfolder is a class and
            the class index follows the sorted subfolder names. Only `.txt` files count.
        labels: `"inferred"`, a list with one integer label per text file (files sorted
            by path), or None for texts only.
        label_mode: `"int"` (class indices, int32), `"categorical"` (one-hot float32),
            `"binary"` (float32 of shape `(batch, 1)`, for 2 classes) or None (no labels).
        class_names: with `labels="inferred"`, which subfolders to use, in this order.
        batch_size: texts per batch; None gives one `(text, label)` sample per item.
        max_length: keep only the first `max_length` characters of each text.
        shuffle: shuffle the files (with `seed`) before splitting, and again every epoch;
            False keeps Keras's sorted order.
        seed: random seed; required with both `shuffle` and `validation_split`, so that
            the training and validation subsets do not overlap.
        validation_split: fraction of the files kept for validation (the last ones).
        subset: `"training"`, `"validation"` or `"both"` (returns the pair) when
            `validation_split` is set.
        follow_links: follow symbolic links to folders.
        format: Keras's choice between a `tf.data.Dataset` ("tf") and a Grain dataset
            ("grain"); minilib returns its own `PyDataset` for both.
        verbose: print how many files and classes were found.

    Returns:
        A `TextDirectoryDataset` whose items are `(texts, labels)`, texts a NumPy array
        of `str`; it has `class_names`. With `subset="both"`, a pair
        `(training, validation)`.

    Example, with a folder of five reviews:

        reviews/
            neg/   1.txt  2.txt  3.txt
            pos/   4.txt  5.txt

    >>> train = minilib.utils.text_dataset_from_directory(
    ...     "reviews", batch_size=2, validation_split=0.2, subset="training", seed=1)
    Found 5 files belonging to 2 classes.
    Using 4 files for training.
    >>> texts, labels = train[0]     # a batch: NumPy arrays of 2 strings and 2 labels
    >>> texts, labels
    (array(['I left early.', 'Too long.'], dtype='<U13'), array([0, 0], dtype=int32))
    >>> train.class_names            # label 0 is "neg", label 1 is "pos"
    ['neg', 'pos']
    """
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f'label_mode must be "int", "categorical", "binary" or None, '
                         f"got {label_mode!r}.")
    if format not in ("tf", "grain"):
        raise ValueError(f'format must be "tf" or "grain", got {format!r}.')
    if labels is None or label_mode is None:
        labels = label_mode = None
    check_split_arguments(validation_split, subset, shuffle, seed)

    paths, label_array, class_names = find_examples(directory, labels, label_mode, (".txt",),
                                                    class_names, follow_links, verbose)
    if shuffle:
        seed = np.random.randint(1_000_000) if seed is None else seed
        paths, label_array = shuffle_files(paths, label_array, seed)

    def make(part, shuffle_each_epoch):
        part_paths, part_labels = take_subset(paths, label_array, validation_split, part,
                                              verbose)
        if not part_paths:
            what = f"{part} text files" if part else "text files"
            raise ValueError(f"No {what} found in {directory} (only .txt files are read).")
        return TextDirectoryDataset(part_paths, part_labels, class_names, label_mode,
                                    batch_size, max_length, shuffle_each_epoch, seed)

    if subset == "both":
        return make("training", shuffle), make("validation", False)
    return make(subset, shuffle and subset != "validation")
