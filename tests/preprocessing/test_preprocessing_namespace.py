"""`minilib.preprocessing` gives Keras's `keras.preprocessing` names for functions in minilib.utils.

The lists of names are compared with real Keras in `test_preprocessing_vs_keras.py`.
"""

import numpy as np

import minilib as keras
from minilib import utils


def test_keras_import_lines_work():
    from minilib.preprocessing.image import img_to_array, load_img, smart_resize  # noqa: F401
    from minilib.preprocessing.sequence import pad_sequences

    assert pad_sequences([[1, 2], [3]]).tolist() == [[1, 2], [0, 3]]
    assert "preprocessing" in keras.__all__


def test_each_name_is_the_utils_function():
    preprocessing = keras.preprocessing
    assert preprocessing.sequence.pad_sequences is utils.pad_sequences
    assert preprocessing.image_dataset_from_directory is utils.image_dataset_from_directory
    assert preprocessing.text_dataset_from_directory is utils.text_dataset_from_directory
    assert preprocessing.timeseries_dataset_from_array is utils.timeseries_dataset_from_array
    for name in ("array_to_img", "img_to_array", "load_img", "save_img"):
        assert getattr(preprocessing.image, name) is getattr(utils, name)


def test_smart_resize_through_the_keras_path():
    square = keras.preprocessing.image.smart_resize(np.ones((6, 10, 3), "float32"), (4, 4))
    assert square.shape == (4, 4, 3)
