"""Playground builds the model its settings describe and draws exactly what that model computes."""

import numpy as np
import pytest
import torch

import minilib as keras
from minilib.viz import Playground
from minilib.viz.playground import QUEUED_TICK_SECONDS
from minilib.viz.playground_data import feature_matrix


def torch_forward(model, features):
    """The outputs of every Dense layer of `model`, computed with plain torch from its weights."""
    functions = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid,
                 "linear": lambda z: z}
    values, outputs = torch.as_tensor(features), []
    for layer in model.layers:
        kernel, bias = (torch.as_tensor(w) for w in layer.get_weights())
        values = functions[layer.activation.__name__](values @ kernel + bias)
        outputs.append(values.numpy())
    return outputs


def grid_cells(playground, figure):
    """The small pictures as a (rows, columns) array of axes: features, then hidden layers."""
    columns = 1 + len(playground.hidden_layers)
    return np.array(figure.axes[:-2]).reshape(-1, columns)  # then the boundary and loss


def test_settings_build_the_described_model_and_learning_rate_keeps_it():
    playground = Playground(dataset="two_moons", features=["x1", "x2", "x1*x2"],
                            hidden_layers=[3, 2], activation="relu", regularization="L1",
                            regularization_rate=0.01, learning_rate=0.3)
    model = playground.model
    assert [layer.units for layer in model.layers] == [3, 2, 1]
    assert [layer.activation.__name__ for layer in model.layers] == ["relu", "relu", "sigmoid"]
    assert model.layers[0].kernel.shape == (3, 3)  # three features in
    assert type(model.optimizer).__name__ == "SGD"
    assert float(model.optimizer.learning_rate) == pytest.approx(0.3)
    l1_penalty = sum(0.01 * torch.as_tensor(layer.get_weights()[0]).abs().sum()
                     for layer in model.layers)
    assert float(sum(model.losses).detach()) == pytest.approx(float(l1_penalty), rel=1e-5)

    playground.step(epochs=1)
    playground.set(learning_rate=0.01)
    assert playground.model is model and playground.epoch == 1
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)

    playground.set(hidden_layers=[5], activation="tanh", regularization="L2")
    model = playground.model
    assert playground.epoch == 0 and len(playground.history["loss"]) == 1
    assert [(layer.units, layer.activation.__name__) for layer in model.layers] == \
        [(5, "tanh"), (1, "sigmoid")]
    l2_penalty = sum(0.01 * torch.as_tensor(layer.get_weights()[0]).square().sum()
                     for layer in model.layers)
    assert float(sum(model.losses).detach()) == pytest.approx(float(l2_penalty), rel=1e-5)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)


def test_features_are_the_named_functions_of_the_coordinates():
    points = np.random.default_rng(0).uniform(-3, 3, (50, 2)).astype("float32")
    x1, x2 = torch.as_tensor(points).unbind(1)
    expected = torch.stack([x1, x2, x1 * x1, x2 * x2, x1 * x2, torch.sin(x1), torch.sin(x2)], 1)
    names = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    np.testing.assert_allclose(feature_matrix(points, names), expected.numpy(), rtol=1e-6)

    playground = Playground(features=["x1^2", "sin(x2)"], resolution=7)
    axis = playground.grid_axis
    x1_squared, sin_x2 = playground.feature_images()
    assert x1_squared.shape == (7, 7)
    row, column = 2, 5  # the picture's row follows x2 (upwards), its column x1
    assert x1_squared[row, column] == pytest.approx(axis[column] ** 2)
    assert sin_x2[row, column] == pytest.approx(np.sin(axis[row]))
    pictures = grid_cells(playground, playground.figure())[:, 0]
    np.testing.assert_array_equal(pictures[1].images[0].get_array(), sin_x2)


def test_the_boundary_drawn_is_the_models_prediction_on_the_grid():
    playground = Playground(dataset="spirals", features=["x1", "x2", "sin(x1)"],
                            hidden_layers=[4, 3], resolution=12)
    playground.step(epochs=2)
    figure = playground.figure()
    boundary_axes = figure.axes[-2]
    assert boundary_axes.get_title().startswith("epoch 2:")
    image = boundary_axes.images[0]
    expected = torch_forward(playground.model, feature_matrix(playground.grid,
                                                              playground.features))[-1]
    np.testing.assert_allclose(image.get_array(), expected.reshape(12, 12), rtol=1e-5)
    low, high = playground.grid_axis[0], playground.grid_axis[-1]
    assert image.get_extent() == [low, high, low, high] and image.origin == "lower"
    # the points drawn on top are the data, training then test
    train_points, test_points = boundary_axes.collections
    np.testing.assert_array_equal(train_points.get_offsets(), playground.x_train)
    np.testing.assert_array_equal(test_points.get_offsets(), playground.x_test)


def test_hidden_unit_pictures_are_the_hidden_layers_outputs():
    playground = Playground(dataset="circles", hidden_layers=[3, 2], activation="relu",
                            resolution=10)
    playground.step(epochs=3)
    outputs = torch_forward(playground.model, feature_matrix(playground.grid, ["x1", "x2"]))
    cells = grid_cells(playground, playground.figure())
    assert cells.shape == (3, 3)  # 3 rows: the widest column is the first hidden layer
    for layer, units in enumerate([3, 2]):
        column = cells[:, 1 + layer]
        assert column[0].get_title() == f"hidden {layer + 1}\nunit 1"
        for unit in range(units):
            np.testing.assert_allclose(column[unit].images[0].get_array(),
                                       outputs[layer][:, unit].reshape(10, 10),
                                       rtol=1e-5, atol=1e-6)
    assert not cells[2, 2].images  # hidden 2 has no third unit


def test_training_lowers_the_loss_and_the_curve_shows_it():
    playground = Playground(dataset="two_moons", hidden_layers=[6])
    for _ in range(3):
        playground.step(epochs=10)
    history = playground.history
    assert history["epoch"] == [0, 10, 20, 30] and playground.epoch == 30
    assert history["loss"][-1] < 0.7 * history["loss"][0]
    assert history["test_loss"][-1] < 0.7 * history["test_loss"][0]
    probabilities = torch.as_tensor(torch_forward(
        playground.model, feature_matrix(playground.x_test, playground.features))[-1][:, 0])
    crossentropy = torch.nn.functional.binary_cross_entropy(
        probabilities, torch.as_tensor(playground.y_test))
    assert history["test_loss"][-1] == pytest.approx(float(crossentropy), rel=1e-4)
    training_line, test_line = playground.figure().axes[-1].get_lines()
    np.testing.assert_array_equal(training_line.get_xdata(), history["epoch"])
    np.testing.assert_array_equal(test_line.get_ydata(), history["test_loss"])


@pytest.mark.parametrize("changes, message", [
    ({"features": ["x3"]}, "features must be"),
    ({"features": []}, "features must be"),
    ({"hidden_layers": [4, 0]}, "at least one unit"),
    ({"activation": "softmax"}, "activation must be"),
    ({"regularization": "L3"}, "regularization must be"),
    ({"learning_rate": 0}, "learning rate must be > 0"),
    ({"dataset": "xor"}, "unknown dataset 'xor'"),
    ({"units": 3}, r"unknown setting\(s\) \['units'\]"),
])
def test_bad_settings_name_what_is_wrong(changes, message):
    playground = Playground(resolution=5)
    with pytest.raises(ValueError, match=message):
        playground.set(**changes)


class FakeClock:
    """A clock that moves only when the test says so."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_controls_change_the_state_and_play_drops_ticks_that_queued_up():
    playground = Playground(resolution=8, epochs_per_tick=2)
    playground._clock = clock = FakeClock()
    view = playground.widget
    buttons, choices, rates, features, sizes = view.children[:5]
    play, step, reset = buttons.children[:3]
    step.click()
    assert playground.epoch == 2
    play.value = 1
    assert playground.epoch == 4
    clock.now += QUEUED_TICK_SECONDS / 2
    play.value = 2  # arrives right after the last tick ended: the kernel was behind
    assert playground.epoch == 4
    clock.now += QUEUED_TICK_SECONDS
    play.value = 3
    assert playground.epoch == 6
    reset.click()
    assert playground.epoch == 0

    choices.children[0].value = "spirals"
    assert playground.dataset == "spirals"
    x2_squared = next(t for t in features.children[1:] if t.description == "x2^2")
    x2_squared.value = True
    assert playground.features == ["x1", "x2", "x2^2"]
    assert playground.model.layers[0].kernel.shape[0] == 3
    layers, units = sizes.children
    layers.value, units.value = 3, 2
    assert playground.hidden_layers == [2, 2, 2]
    rates.children[0].value = 0.3
    assert float(playground.model.optimizer.learning_rate) == pytest.approx(0.3)

    bundle = playground._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle
    assert keras.viz.Playground is Playground
