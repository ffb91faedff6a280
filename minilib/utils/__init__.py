"""Utilities students meet: seeding, PyDataset, data loading and array helpers."""

import numpy as np

from minilib.backend.naming import clear_session  # Keras offers it in both namespaces
from minilib.serialization import (
    custom_object_scope,
    deserialize_keras_object,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
from minilib.trainers.data_adapters.batch_packing import (
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from minilib.utils.file_utils import get_file
from minilib.utils.image_dataset import image_dataset_from_directory
from minilib.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from minilib.utils.plot_model import plot_model
from minilib.utils.py_dataset import PyDataset
from minilib.utils.seed import set_random_seed
from minilib.utils.sequence_utils import pad_sequences
from minilib.utils.text_dataset import text_dataset_from_directory
from minilib.utils.timeseries import timeseries_dataset_from_array


def to_categorical(labels, num_classes=None):
    """One-hot encode integer class labels: `[0, 2]` becomes `[[1, 0, 0], [0, 0, 1]]`.

    `num_classes` defaults to the largest label plus one. The result is float32, the
    labels `CategoricalCrossentropy` expects.

    Example:

    >>> minilib.utils.to_categorical([0, 2])
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    >>> minilib.utils.to_categorical([1], num_classes=4)
    array([[0., 1., 0., 0.]], dtype=float32)
    """
    labels = np.asarray(labels, dtype="int64").reshape(-1)
    num_classes = int(labels.max()) + 1 if num_classes is None else num_classes
    return np.eye(num_classes, dtype="float32")[labels]


__all__ = [
    "PyDataset", "clear_session", "get_file", "image_dataset_from_directory", "pad_sequences",
    "plot_model", "set_random_seed", "timeseries_dataset_from_array", "to_categorical",
    "array_to_img", "img_to_array", "load_img", "save_img", "text_dataset_from_directory",
    "custom_object_scope", "deserialize_keras_object", "get_custom_objects",
    "get_registered_name", "get_registered_object", "register_keras_serializable",
    "serialize_keras_object",
]
__all__ += ["pack_x_y_sample_weight", "unpack_x_y_sample_weight"]
