"""image_dataset_from_directory on a temporary folder of PNG and JPEG files."""

import numpy as np
import pytest
from PIL import Image

import minilib
from minilib.utils import PyDataset, image_dataset_from_directory

CLASSES = {"cats": (200, 30, 30), "dogs": (30, 30, 200), "owls": (30, 200, 30)}


@pytest.fixture
def folder(tmp_path):
    """3 classes x 4 images, each filled with its class colour; sizes and formats vary."""
    for name, colour in CLASSES.items():
        (tmp_path / name).mkdir()
        for i in range(4):
            image = Image.new("RGB", (10 + 4 * i, 12), colour)
            image.save(tmp_path / name / f"{i}.{'jpg' if i == 3 else 'png'}")
        (tmp_path / name / "notes.txt").write_text("not an image")
    (tmp_path / ".hidden").mkdir()
    return tmp_path


def test_batches_labels_and_class_names(folder, capsys):
    dataset = image_dataset_from_directory(folder, image_size=(8, 6), batch_size=5,
                                           shuffle=False)
    assert capsys.readouterr().out == "Found 12 files belonging to 3 classes.\n"
    assert isinstance(dataset, PyDataset) and len(dataset) == 3
    assert dataset.class_names == ["cats", "dogs", "owls"]
    images, labels = dataset[0]
    assert images.shape == (5, 8, 6, 3) and images.dtype == np.float32
    assert labels.dtype == np.int32 and labels.tolist() == [0, 0, 0, 0, 1]
    np.testing.assert_allclose(images[0, 4, 3], CLASSES["cats"])  # the colour survives resizing
    np.testing.assert_allclose(images[4, 4, 3], CLASSES["dogs"])
    assert dataset[2][0].shape == (2, 8, 6, 3)  # the last batch is smaller


def test_label_modes_and_color_modes(folder):
    common = dict(image_size=4, batch_size=12, shuffle=False, verbose=False)
    _, one_hot = image_dataset_from_directory(folder, label_mode="categorical", **common)[0]
    assert one_hot.shape == (12, 3) and one_hot.dtype == np.float32 and one_hot[5, 1] == 1
    images = image_dataset_from_directory(folder, label_mode=None, color_mode="grayscale",
                                          **common)[0]
    assert images.shape == (12, 4, 4, 1)
    two = image_dataset_from_directory(folder, class_names=["owls", "cats"],
                                       label_mode="binary", color_mode="rgba", **common)
    images, labels = two[0]
    assert images.shape == (8, 4, 4, 4) and labels.shape == (8, 1)
    assert two.class_names == ["owls", "cats"] and labels[:4, 0].tolist() == [0] * 4
    np.testing.assert_allclose(images[0, 0, 0, :3], CLASSES["owls"])


def test_explicit_labels_follow_sorted_file_paths(folder):
    dataset = image_dataset_from_directory(folder, labels=list(range(12)), image_size=4,
                                           shuffle=False, verbose=False)
    assert dataset[0][1].tolist() == list(range(12))
    assert dataset.file_paths[0].endswith("0.png") and "cats" in dataset.file_paths[0]


def test_nested_folders_in_keras_order_as_for_text_files(tmp_path):
    # Keras lists folders sorted by their whole path, so "a-b" (with "-" before "/")
    # comes before "a/x"; a depth-first walk would give a, a/x, a-b.
    for folder in ("pets/a", "pets/a/x", "pets/a-b"):
        (tmp_path / folder).mkdir(parents=True)
        Image.new("RGB", (4, 4)).save(tmp_path / folder / "1.png")
        (tmp_path / folder / "1.txt").write_text("text")
    images = image_dataset_from_directory(tmp_path, image_size=4, shuffle=False, verbose=False)
    texts = minilib.utils.text_dataset_from_directory(tmp_path, shuffle=False, verbose=False)
    relative = [str(path)[len(str(tmp_path)) + 1:] for path in images.file_paths]
    assert relative == ["pets/a/1.png", "pets/a-b/1.png", "pets/a/x/1.png"]
    assert [path[:-4] for path in images.file_paths] == [path[:-4] for path in texts.file_paths]


def test_seeded_shuffle_and_validation_split_do_not_overlap(folder, capsys):
    train, valid = image_dataset_from_directory(folder, image_size=4, seed=3,
                                                validation_split=0.25, subset="both")
    assert capsys.readouterr().out.splitlines()[1:] == ["Using 9 files for training.",
                                                        "Using 3 files for validation."]
    assert len(train.file_paths) == 9 and len(valid.file_paths) == 3
    assert not set(train.file_paths) & set(valid.file_paths)
    again = image_dataset_from_directory(folder, image_size=4, seed=3, validation_split=0.25,
                                         subset="validation", verbose=False)
    assert again.file_paths == valid.file_paths
    first_epoch = [train.file_paths[i] for i in train.order]
    train.on_epoch_end()
    assert sorted(first_epoch) == sorted(train.file_paths[i] for i in train.order)


def test_crop_and_pad_to_aspect_ratio(tmp_path):
    (tmp_path / "a").mkdir()
    image = np.zeros((10, 20, 3), dtype="uint8")
    image[:, 5:15] = 255  # a white square in the middle of a wide image
    Image.fromarray(image).save(tmp_path / "a" / "wide.png")
    common = dict(image_size=(10, 10), shuffle=False, verbose=False)
    cropped = image_dataset_from_directory(tmp_path, crop_to_aspect_ratio=True, **common)
    assert cropped[0][0].min() == 255
    padded = image_dataset_from_directory(tmp_path, pad_to_aspect_ratio=True,
                                          interpolation="nearest", **common)[0][0][0, :, :, 0]
    assert padded[0, 5] == 0 and padded[5, 5] == 255 and padded[5, 0] == 0


def test_argument_errors(folder):
    with pytest.raises(ValueError, match="seed"):
        image_dataset_from_directory(folder, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="together"):
        image_dataset_from_directory(folder, validation_split=0.2, seed=1)
    with pytest.raises(ValueError, match="exactly 2"):
        image_dataset_from_directory(folder, label_mode="binary", verbose=False)
    with pytest.raises(ValueError, match="subfolders"):
        image_dataset_from_directory(folder, class_names=["cats", "lions"])
    with pytest.raises(ValueError, match="one label per file"):
        image_dataset_from_directory(folder, labels=[0, 1], verbose=False)
    with pytest.raises(ValueError, match="color_mode"):
        image_dataset_from_directory(folder, color_mode="cmyk")


def test_fit_on_an_image_directory(folder):
    minilib.utils.set_random_seed(0)
    dataset = image_dataset_from_directory(folder, image_size=(4, 4), batch_size=4, seed=0,
                                           verbose=False)
    model = minilib.Sequential([minilib.Input(shape=(4, 4, 3)), minilib.layers.Flatten(),
                                minilib.layers.Rescaling(1 / 255), minilib.layers.Dense(3)])
    model.compile(optimizer=minilib.optimizers.Adam(0.05), metrics=["accuracy"],
                  loss=minilib.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(dataset, epochs=15, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
