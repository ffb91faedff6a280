"""FeatureMaps draws the outputs of the chosen layer, as a sub-model or torch computes them."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import minilib as keras
from minilib.viz import FeatureMaps


def images(count=3, size=12, channels=1, seed=0):
    return np.random.default_rng(seed).uniform(0, 1, (count, size, size, channels)) \
        .astype("float32")


def sequential_cnn():
    keras.utils.set_random_seed(0)
    return keras.Sequential([
        keras.Input((12, 12, 1)),
        keras.layers.Conv2D(4, 3, activation="relu", name="conv_a"),   # 10x10x4
        keras.layers.MaxPooling2D(2, name="pool"),                     # 5x5x4
        keras.layers.Conv2D(6, 3, name="conv_b"),                      # 3x3x6
        keras.layers.Flatten(),
        keras.layers.Dense(3),
    ])


def functional_cnn():
    keras.utils.set_random_seed(1)
    inputs = keras.Input((12, 12, 3))
    narrow = keras.layers.Conv2D(5, 3, padding="same", name="narrow")(inputs)
    wide = keras.layers.Conv2D(5, 5, padding="same", activation="tanh", name="wide")(inputs)
    merged = keras.layers.Concatenate()([narrow, wide])
    pooled = keras.layers.AveragePooling2D(3, name="average")(merged)
    outputs = keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(pooled))
    return keras.Model(inputs, outputs)


def drawn_maps(figure):
    """The maps drawn, `(height, width, count)`: every axes after the input image."""
    return np.stack([axes.images[0].get_array() for axes in figure.axes[1:] if axes.images], -1)


def sub_model_maps(model, layer, image):
    return keras.Model(model.inputs, layer.output).predict(image[None], verbose=0)[0]


@pytest.mark.parametrize("make_model, channels, names", [
    (sequential_cnn, 1, ["conv_a", "pool", "conv_b"]),
    (functional_cnn, 3, ["narrow", "wide", "average"]),
])
def test_maps_drawn_are_the_layer_outputs_of_a_functional_sub_model(make_model, channels, names):
    model = make_model()
    batch = images(channels=channels)
    viewer = FeatureMaps(model, batch, image=2)
    assert [layer.name for layer in viewer.layers] == names  # no Dense, Flatten, global pool
    for name in names:
        viewer.select(layer=name)
        expected = sub_model_maps(model, model.get_layer(name), batch[2])
        np.testing.assert_allclose(viewer.maps, expected, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(drawn_maps(viewer.figure()), expected, rtol=1e-5, atol=1e-6)


def test_first_maps_are_torch_conv2d_and_max_pool2d_of_the_image():
    model = sequential_cnn()
    batch = images()
    viewer = FeatureMaps(model, batch, image=1)
    conv = model.get_layer("conv_a")
    kernel, bias = (torch.as_tensor(w) for w in conv.get_weights())
    as_torch = torch.as_tensor(batch[1:2]).permute(0, 3, 1, 2)          # NHWC -> NCHW
    expected = F.relu(F.conv2d(as_torch, kernel.permute(3, 2, 0, 1), bias))
    np.testing.assert_allclose(drawn_maps(viewer.figure()),
                               expected[0].permute(1, 2, 0).numpy(), rtol=1e-5, atol=1e-6)
    viewer.select(layer="pool")
    pooled = F.max_pool2d(expected, 2)[0].permute(1, 2, 0).numpy()
    np.testing.assert_allclose(drawn_maps(viewer.figure()), pooled, rtol=1e-5, atol=1e-6)


def test_subclassed_models_and_nested_augmentation_are_seen_in_inference_mode():
    class Tiny(keras.Model):
        def __init__(self):
            super().__init__()
            self.augment = keras.Sequential([keras.layers.RandomFlip(seed=0)])
            self.conv = keras.layers.Conv2D(2, 3, name="tiny_conv")
            self.head = keras.layers.Dense(1)

        def call(self, inputs, training=None):
            features = self.conv(self.augment(inputs, training=training))
            return self.head(keras.ops.mean(features, axis=(1, 2)))

    model = Tiny()
    batch = images(count=1)
    model(batch)
    viewer = FeatureMaps(model, batch)
    assert [layer.name for layer in viewer.layers] == ["tiny_conv"]
    kernel, bias = (torch.as_tensor(w) for w in model.conv.get_weights())
    expected = F.conv2d(torch.as_tensor(batch).permute(0, 3, 1, 2), kernel.permute(3, 2, 0, 1),
                        bias)  # not flipped: augmentation is off
    np.testing.assert_allclose(viewer.maps, expected[0].permute(1, 2, 0).numpy(), rtol=1e-5,
                               atol=1e-6)


def test_figure_shows_the_input_image_its_label_and_at_most_max_maps():
    model = keras.Sequential([keras.Input((12, 12, 1)), keras.layers.Conv2D(40, 3)])
    batch = images(count=2)
    viewer = FeatureMaps(model, batch, labels=["seven", "two"], image=1, max_maps=32)
    figure = viewer.figure()
    np.testing.assert_array_equal(figure.axes[0].images[0].get_array(), batch[1, :, :, 0])
    assert figure.axes[0].get_title() == "image 1, label two"
    assert drawn_maps(figure).shape == (10, 10, 32)
    assert "32 of 40 maps, 10x10 each" in figure.subfigs[1].get_suptitle()


def test_models_without_spatial_layers_and_bad_choices_are_clear_errors():
    dense = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10, name="hidden")],
                             name="mlp")
    with pytest.raises(ValueError, match=r"model 'mlp' has no 2-D convolution or pooling "
                                         r"layer .* Its layers: hidden \(Dense\)"):
        FeatureMaps(dense, np.zeros((1, 64), "float32"))
    sequence = keras.Sequential([keras.Input((20, 3)), keras.layers.Conv1D(4, 3)])
    with pytest.raises(ValueError, match="no 2-D convolution"):
        FeatureMaps(sequence, np.zeros((1, 20, 3), "float32"))
    viewer = FeatureMaps(sequential_cnn(), images())
    with pytest.raises(ValueError, match=r"no 2-D convolution or pooling layer named 'flatten'"):
        viewer.select(layer="flatten")
    with pytest.raises(ValueError, match="image 3 is out of range; there are 3 images"):
        viewer.select(image=3)


def test_widget_dropdown_and_slider_change_what_is_drawn():
    model = sequential_cnn()
    batch = images()
    viewer = FeatureMaps(model, batch)
    layer, image = viewer.widget.children[0].children
    first_png = viewer._image.value
    layer.value = "conv_b"
    image.value = 2
    assert viewer.layer is model.get_layer("conv_b") and viewer.image == 2
    assert viewer._image.value != first_png
    np.testing.assert_allclose(viewer.maps, sub_model_maps(model, viewer.layer, batch[2]),
                               rtol=1e-5, atol=1e-6)
    bundle = viewer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle
