"""Listing a folder of examples, one subfolder per class, as Keras's `*_dataset_from_directory` do.

    reviews/
        neg/   1.txt  2.txt
        pos/   3.txt

    >>> index_directory("reviews", "inferred", extensions=(".txt",))
    (['reviews/neg/1.txt', 'reviews/neg/2.txt', 'reviews/pos/3.txt'],
     array([0, 0, 1], dtype=int32), ['neg', 'pos'])

The order is Keras's, so a dataset shuffled with the same seed holds the same
files in both libraries: classes in order, then inside each class the folders
sorted by path and the files sorted by name. Shuffling permutes that list with
`np.random.RandomState(seed)`, and the validation subset is its last
`int(validation_split * n)` files.
"""

import os

import numpy as np


def index_directory(directory, labels, extensions, class_names=None, follow_links=False):
    """The files under `directory` ending in one of `extensions`, their labels, the class names.

    Args:
        directory: the folder.
        labels: `"inferred"` (each subfolder is a class, in sorted order or in the
            order of `class_names`), a list with one integer label per file (files
            in the order listed here), or None.
        extensions: the file name endings to keep, lower case, such as `(".txt",)`.
        class_names: with `labels="inferred"`, which subfolders to use, in this order.
        follow_links: also walk into folders that are symbolic links.

    Returns:
        `(paths, labels, class_names)`: labels an int32 array (None without
        labels); class names the subfolders, or the sorted label values as
        strings for explicit labels, or None.
    """
    if labels != "inferred":
        if class_names is not None:
            raise ValueError(f"class_names={list(class_names)} can only be given with "
                             f"labels='inferred' (got labels={labels!r}).")
        paths = list_files(directory, extensions, follow_links)
        if labels is None:
            return paths, None, None
        if len(labels) != len(paths):
            raise ValueError(f"Got {len(labels)} labels for the {len(paths)} files found in "
                             f"{directory}; give one label per file, in sorted path order.")
        labels = np.asarray(labels, dtype="int32")
        return paths, labels, [str(value) for value in sorted(set(labels.tolist()))]

    subfolders = sorted(name for name in os.listdir(directory)
                        if os.path.isdir(os.path.join(directory, name)) and name[0] != ".")
    if class_names is None:
        class_names = subfolders
    elif not set(class_names) <= set(subfolders):
        raise ValueError(f"class_names={list(class_names)} do not all name subfolders of "
                         f"{directory}, which are {subfolders}.")
    paths, label_list = [], []
    for label, name in enumerate(class_names):
        found = list_files(os.path.join(directory, name), extensions, follow_links)
        paths += found
        label_list += [label] * len(found)
    return paths, np.asarray(label_list, dtype="int32"), list(class_names)


def find_examples(directory, labels, label_mode, extensions, class_names, follow_links,
                  verbose):
    """`index_directory`, checked against `label_mode` and, if `verbose`, reported.

    What `image_dataset_from_directory` and `text_dataset_from_directory` both do
    first; `label_mode="binary"` needs exactly two classes.
    """
    paths, label_array, class_names = index_directory(directory, labels, extensions,
                                                      class_names, follow_links)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f'label_mode="binary" needs exactly 2 classes, found {class_names}.')
    if verbose:
        classes = "" if class_names is None else f" belonging to {len(class_names)} classes"
        print(f"Found {len(paths)} files{classes}.")
    return paths, label_array, class_names


def list_files(directory, extensions, follow_links=False):
    """Files under `directory`, at any depth, whose lower-cased names end in `extensions`."""
    folders = sorted(os.walk(directory, followlinks=follow_links), key=lambda entry: entry[0])
    return [os.path.join(root, name) for root, _, names in folders for name in sorted(names)
            if name.lower().endswith(tuple(extensions))]


def check_split_arguments(validation_split, subset, shuffle, seed):
    """Refuse a split that is incomplete, or that could overlap between two calls."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be between 0 and 1, got {validation_split}.")
    if bool(validation_split) != bool(subset):
        raise ValueError(f"Pass validation_split and subset together (or neither); got "
                         f"validation_split={validation_split!r}, subset={subset!r}.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'subset must be "training", "validation" or "both", got {subset!r}.')
    if validation_split and shuffle and seed is None:
        raise ValueError("With validation_split and shuffle=True, pass a seed: the training "
                         "and validation datasets must shuffle the files the same way.")


def shuffle_files(paths, labels, seed):
    """`paths` and `labels` (or None) permuted alike by `np.random.RandomState(seed)`."""
    order = np.random.RandomState(seed).permutation(len(paths))
    return [paths[i] for i in order], None if labels is None else labels[order]


def take_subset(paths, labels, validation_split, subset, verbose):
    """The training part (all but the last `int(validation_split * n)` files) or the rest."""
    if not validation_split:
        return paths, labels
    kept = slice(len(paths) - int(validation_split * len(paths)), None)
    if subset == "training":
        kept = slice(0, kept.start)
    if verbose:
        print(f"Using {len(paths[kept])} files for {subset}.")
    return paths[kept], None if labels is None else labels[kept]
