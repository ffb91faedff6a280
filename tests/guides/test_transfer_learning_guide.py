"""Keras's guide "Transfer learning & fine-tuning", retold on a tiny offline problem.

The guide freezes an ImageNet Xception and trains a new head on cats vs dogs. Here the
base is a small untrained convolutional model with BatchNormalization layers (what the
fine-tuning advice is about), the "photos" are random images of random sizes, and the
last test builds the guide's Xception itself, without weights. Each test is one section
of the guide, in its order.
"""

import numpy as np
import pytest

import minilib as keras
from minilib import layers


def weight_counts(layer):
    return len(layer.weights), len(layer.trainable_weights), len(layer.non_trainable_weights)


def test_layers_split_their_weights_into_trainable_and_non_trainable():
    dense = layers.Dense(3)
    dense.build((None, 4))
    assert weight_counts(dense) == (2, 2, 0)  # kernel and bias

    norm = layers.BatchNormalization()
    norm.build((None, 4))
    assert weight_counts(norm) == (4, 2, 2)  # gamma, beta | moving mean, moving variance

    frozen = layers.Dense(3)
    frozen.build((None, 4))
    frozen.trainable = False
    assert weight_counts(frozen) == (2, 0, 2)


def test_fit_leaves_a_frozen_layer_alone():
    first = layers.Dense(3, activation="relu")
    second = layers.Dense(3, activation="sigmoid")
    model = keras.Sequential([keras.Input(shape=(3,)), first, second])
    first.trainable = False
    first_before, second_before = first.get_weights(), second.get_weights()
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    model.fit(rng.random((8, 3)), rng.random((8, 3)), verbose=0)
    for before, after in zip(first_before, first.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    assert not np.array_equal(second_before[0], second.get_weights()[0])


def test_trainable_false_reaches_every_nested_layer():
    inner = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(3, activation="relu"),
                              layers.Dense(3, activation="relu")])
    outer = keras.Sequential([keras.Input(shape=(3,)), inner, layers.Dense(3)])
    outer.trainable = False
    assert inner.trainable is False
    assert all(layer.trainable is False for layer in inner.layers)
    assert outer.trainable_weights == [] and len(outer.non_trainable_weights) == 6


def random_photos(count, seed):
    """Images of mixed sizes, as uint8 RGB arrays, with 0/1 labels: the shape of cats vs dogs."""
    rng = np.random.default_rng(seed)
    photos = [rng.integers(0, 256, (*rng.integers(40, 60, size=2), 3)).astype("uint8")
              for _ in range(count)]
    return photos, rng.integers(0, 2, count)


def test_resizing_and_augmenting_single_images():
    photos, _ = random_photos(3, seed=0)
    resize = layers.Resizing(32, 32)
    resized = [np.asarray(resize(photo)) for photo in photos]
    assert all(image.shape == (32, 32, 3) for image in resized)

    augment = [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)]
    batch = np.expand_dims(resized[0], 0)  # one image as a batch of one, as the guide plots it
    for layer in augment:
        batch = layer(batch, training=True)
    assert tuple(batch.shape) == (1, 32, 32, 3)
    assert not np.allclose(np.asarray(batch[0]), resized[0])  # the picture really moved


class PhotoBatches(keras.utils.PyDataset):
    """Resized photos in batches, with an optional augmentation applied to each photo."""

    def __init__(self, photos, labels, batch_size, augment=None):
        super().__init__()
        resize = layers.Resizing(32, 32)
        self.images = [np.asarray(augment(resize(p)) if augment else resize(p)) for p in photos]
        self.labels, self.batch_size = labels, batch_size

    def __len__(self):
        return -(-len(self.images) // self.batch_size)

    def __getitem__(self, index):
        chunk = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.stack(self.images[chunk]).astype("float32"), self.labels[chunk]


def small_pretrained_style_base():
    """Stands in for `keras.applications.Xception(include_top=False)`: conv, norm, relu."""
    inputs = keras.Input(shape=(32, 32, 3))
    x = inputs
    for filters in (4, 8):
        x = layers.Conv2D(filters, 3, strides=2, use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    return keras.Model(inputs, x, name="tiny_base_0.1")  # a dotted name, like mobilenetv2_1.00_224


def frozen_base_with_new_head():
    base_model = small_pretrained_style_base()
    base_model.trainable = False
    inputs = keras.Input(shape=(32, 32, 3))
    x = layers.Rescaling(scale=1 / 127.5, offset=-1)(inputs)  # pixels to [-1, 1]
    x = base_model(x, training=False)  # its BatchNormalization stays in inference mode
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(1)(x)
    return base_model, keras.Model(inputs, outputs)


def summary_of(model):
    lines = []
    model.summary(print_fn=lines.append, show_trainable=True)
    return "\n".join(lines)


def trainable_mark(summary, layer):
    """The Trainable column of `layer`'s row: the row starts with the layer's name."""
    return next(line for line in summary.splitlines()
                if line.startswith(f" {layer.name} ")).split()[-1]


def moving_statistics(model):
    return [w.numpy().copy() for w in model.non_trainable_weights if "moving" in w.path]


def test_train_a_new_head_then_fine_tune_the_whole_model():
    rng_photos, labels = random_photos(24, seed=1)
    train = PhotoBatches(rng_photos[:16], labels[:16], batch_size=8,
                         augment=layers.RandomFlip("horizontal"))
    validation = PhotoBatches(rng_photos[16:], labels[16:], batch_size=8)
    base_model, model = frozen_base_with_new_head()
    head = model.layers[-1]

    text = summary_of(model)
    assert "Trainable" in text
    assert trainable_mark(text, base_model) == "N"
    assert trainable_mark(text, model.layers[1]) == "-"  # Rescaling has no weights
    assert f"Trainable params: {head.count_params():,} " in text  # only the Dense head

    model.compile(optimizer=keras.optimizers.Adam(),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy()])
    base_before = base_model.get_weights()
    head_before = head.get_weights()
    history = model.fit(train, epochs=1, validation_data=validation, verbose=0)
    assert set(history.history) == {"loss", "binary_accuracy", "val_loss",
                                    "val_binary_accuracy"}
    for before, after in zip(base_before, base_model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    assert not np.array_equal(head_before[0], head.get_weights()[0])

    # Fine-tuning: unfreeze, then compile again (trainable changes take effect at compile).
    base_model.trainable = True
    assert trainable_mark(summary_of(model), base_model) == "Y"
    model.compile(optimizer=keras.optimizers.Adam(1e-5),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy()])
    statistics_before = moving_statistics(base_model)
    kernels_before = [w.numpy().copy() for w in base_model.trainable_weights]
    model.fit(train, epochs=1, validation_data=validation, verbose=0)
    kernels_after = [w.numpy() for w in base_model.trainable_weights]
    assert any(not np.array_equal(a, b) for a, b in zip(kernels_before, kernels_after,
                                                        strict=True))
    # training=False at the call keeps batch statistics out of the moving averages.
    for before, after in zip(statistics_before, moving_statistics(base_model), strict=True):
        np.testing.assert_array_equal(before, after)

    loss, accuracy = model.evaluate(validation, verbose=0)
    assert np.isfinite(loss) and 0.0 <= accuracy <= 1.0


@pytest.mark.slow
def test_the_guides_xception_base_builds_without_downloading():
    base_model = keras.applications.Xception(weights=None, include_top=False,
                                             input_shape=(71, 71, 3))
    assert base_model.output.shape == (None, 3, 3, 2048)
    assert base_model.count_params() == 20_861_480  # as real Keras counts it
