"""WeightsViewer draws the chosen layer's real kernel, bias and latest gradient."""

import numpy as np
import pytest

import minilib as keras
from minilib.viz import WeightsViewer
from minilib.viz.weights_viewer import tile_filters
from tests.viz.helpers import moons_model


def test_before_training_shows_kernel_bias_and_no_gradient():
    model, _, _ = moons_model()
    viewer = WeightsViewer(model)
    dense = model.layers[0]
    assert viewer.layer is dense
    figure = viewer.figure()
    kernel_axes, gradient_axes, _, bias_axes = figure.axes[:4]
    np.testing.assert_array_equal(kernel_axes.images[0].get_array(), dense.kernel.numpy())
    assert not gradient_axes.images and "no gradient" in gradient_axes.texts[0].get_text()
    heights = [bar.get_height() for bar in bias_axes.patches]
    np.testing.assert_allclose(heights, dense.bias.numpy())


def test_as_a_callback_it_follows_training_and_shows_the_last_gradient():
    model, x, y = moons_model()
    viewer = WeightsViewer(model, layer=model.layers[1].name)
    seen = []

    class Snapshot(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append((viewer.figure().axes[0].images[0].get_array().copy(),
                         model.layers[1].kernel.numpy().copy()))

    model.fit(x, y, epochs=3, batch_size=50, verbose=0, callbacks=[viewer, Snapshot()])
    assert viewer.epochs_seen == 3
    for drawn, actual in seen:
        np.testing.assert_array_equal(drawn, actual.reshape(drawn.shape))
    assert not np.array_equal(seen[0][0], seen[-1][0])  # the weights moved
    gradient = viewer.figure().axes[1].images[0].get_array()
    np.testing.assert_array_equal(gradient, model.layers[1].kernel.grad.numpy())


def test_select_by_name_and_layers_without_weights_are_not_offered():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dropout(0.5),
                              keras.layers.Dense(2, name="last")])
    viewer = WeightsViewer(model)
    assert [layer.name for layer in viewer.layers] == [model.layers[0].name, "last"]
    viewer.select("last")
    assert viewer.kernel is model.get_layer("last").kernel
    with pytest.raises(ValueError, match="no weights"):
        viewer.select(model.layers[1])


def test_conv_kernel_is_a_grid_of_filters_for_one_input_channel():
    model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(5, 3)])
    viewer = WeightsViewer(model, channel=2)
    kernel = model.layers[0].kernel.numpy()  # (3, 3, 3, 5)
    image = viewer.figure().axes[0].images[0].get_array()
    assert image.shape == (2 * 4 - 1, 3 * 4 - 1)  # 5 filters in a 2 x 3 grid, 1 pixel apart
    np.testing.assert_array_equal(image[4:7, 0:3], kernel[:, :, 2, 3])  # filter 3: row 1, col 0
    assert image.mask[3, :].all()  # the blank row between the grid rows


def test_tile_filters_pads_the_last_row_with_blanks():
    filters = np.arange(2 * 2 * 3, dtype="float32").reshape(2, 2, 3)
    grid = tile_filters(filters)
    np.testing.assert_array_equal(grid[0:2, 3:5], filters[:, :, 1])
    assert np.isnan(grid[3:, 3:]).all()


def test_widget_dropdown_switches_layer_and_redraws():
    model, _, _ = moons_model()
    viewer = WeightsViewer(model)
    view = viewer.widget
    first_png = viewer._image.value
    dropdown = view.children[0].children[0]
    dropdown.value = model.layers[1].name
    assert viewer.layer is model.layers[1]
    assert viewer._image.value != first_png
    bundle = viewer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle
