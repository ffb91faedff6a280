"""text_dataset_from_directory on a temporary folder of .txt files.

`tests/preprocessing/test_preprocessing_vs_keras.py` checks the file order, the
shuffling and the splits against real Keras.
"""

import numpy as np
import pytest

from minilib.utils import PyDataset, text_dataset_from_directory

REVIEWS = {"neg": ["dull", "too long", "boring plot"], "pos": ["great", "loved it"]}


@pytest.fixture
def folder(tmp_path):
    for label, texts in REVIEWS.items():
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text)
        (tmp_path / label / "cover.png").write_bytes(b"not a text")
    return tmp_path


def test_batches_of_texts_and_labels(folder, capsys):
    dataset = text_dataset_from_directory(folder, batch_size=4, shuffle=False)
    assert capsys.readouterr().out == "Found 5 files belonging to 2 classes.\n"
    assert isinstance(dataset, PyDataset) and len(dataset) == 2
    assert dataset.class_names == ["neg", "pos"]
    texts, labels = dataset[0]
    assert texts.tolist() == ["dull", "too long", "boring plot", "great"]
    assert labels.dtype == np.int32 and labels.tolist() == [0, 0, 0, 1]
    assert dataset[1][0].tolist() == ["loved it"]


def test_label_modes_max_length_and_unbatched(folder):
    common = dict(shuffle=False, verbose=False)
    _, one_hot = text_dataset_from_directory(folder, label_mode="categorical", **common)[0]
    assert one_hot.dtype == np.float32 and one_hot.tolist()[3] == [0, 1]
    _, binary = text_dataset_from_directory(folder, label_mode="binary", **common)[0]
    assert binary.shape == (5, 1) and binary[:, 0].tolist() == [0, 0, 0, 1, 1]
    texts = text_dataset_from_directory(folder, label_mode=None, max_length=4, **common)[0]
    assert texts.tolist() == ["dull", "too ", "bori", "grea", "love"]
    samples = text_dataset_from_directory(folder, batch_size=None, **common)
    assert len(samples) == 5 and samples[4] == ("loved it", 1)


def test_split_is_disjoint_and_training_reshuffles_every_epoch(folder):
    training, validation = text_dataset_from_directory(
        folder, validation_split=0.4, subset="both", seed=7, verbose=False)
    assert len(training.file_paths) == 3 and len(validation.file_paths) == 2
    assert not set(training.file_paths) & set(validation.file_paths)
    first = training[0][0].tolist()
    orders = {tuple(first)}
    for _ in range(10):
        training.on_epoch_end()
        texts = training[0][0].tolist()
        assert sorted(texts) == sorted(first)  # the same texts every epoch...
        orders.add(tuple(texts))
    assert len(orders) > 1  # ...in another order


@pytest.mark.parametrize("arguments, message", [
    ({"label_mode": "binary", "class_names": None, "labels": [0, 1, 2, 0, 1]}, "exactly 2"),
    ({"validation_split": 0.2, "subset": "training"}, "pass a seed"),
    ({"validation_split": 0.2}, "together"),
    ({"label_mode": "sparse"}, "label_mode"),
    ({"format": "torch"}, "format"),
    ({"class_names": ["neg", "meh"]}, "do not all name subfolders"),
])
def test_bad_arguments_are_refused(folder, arguments, message):
    with pytest.raises(ValueError, match=message):
        text_dataset_from_directory(folder, verbose=False, **arguments)


def test_a_folder_without_texts_is_refused(tmp_path):
    (tmp_path / "empty_class").mkdir()
    with pytest.raises(ValueError, match="No text files found"):
        text_dataset_from_directory(tmp_path, verbose=False)
