"""Keras's `keras.preprocessing` names: data loading helpers that live in `minilib.utils`.

    from minilib.preprocessing import image, sequence
    image.load_img("cat.jpg", target_size=(224, 224))
    sequence.pad_sequences([[1, 2, 3], [4, 5]], maxlen=4)
    minilib.preprocessing.text_dataset_from_directory("aclImdb/train")

The preprocessing *layers* (Rescaling, RandomFlip, ...) are in `minilib.layers`.
"""

from minilib.preprocessing import image, sequence
from minilib.utils.image_dataset import image_dataset_from_directory
from minilib.utils.text_dataset import text_dataset_from_directory
from minilib.utils.timeseries import timeseries_dataset_from_array

__all__ = ["image", "image_dataset_from_directory", "sequence", "text_dataset_from_directory",
           "timeseries_dataset_from_array"]
