"""Code in the style of Keras's guide "The Sequential model", run with `import minilib as keras`."""

import re

import numpy as np

import minilib as keras
from minilib import layers


def test_a_sequential_model_equals_chained_layer_calls():
    model = keras.Sequential([
        layers.Dense(2, activation="relu", name="layer1"),
        layers.Dense(3, activation="relu", name="layer2"),
        layers.Dense(4, name="layer3"),
    ])
    x = np.ones((3, 3), dtype="float32")
    y = model(x)
    chained = model.layers[2](model.layers[1](model.layers[0](x)))
    np.testing.assert_allclose(y.detach().numpy(), chained.detach().numpy())


def test_building_incrementally_and_weights_appear_on_first_call():
    model = keras.Sequential()
    model.add(layers.Dense(2, activation="relu"))
    model.add(layers.Dense(3, activation="relu"))
    model.add(layers.Dense(4))
    assert len(model.layers) == 3
    model.pop()
    assert len(model.layers) == 2
    assert model.weights == []
    model(np.ones((1, 4), dtype="float32"))
    assert len(model.weights) == 4


def test_a_named_model_and_layers_whose_weights_wait_for_an_input():
    model = keras.Sequential(name="my_sequential")
    model.add(layers.Dense(2, activation="relu", name="layer1"))
    model.add(layers.Dense(3, activation="relu", name="layer2"))
    model.add(layers.Dense(4, name="layer3"))
    assert model.name == "my_sequential"
    assert [layer.name for layer in model.layers] == ["layer1", "layer2", "layer3"]

    layer = layers.Dense(3)
    assert layer.weights == []
    layer(np.ones((1, 4), dtype="float32"))
    assert [tuple(w.shape) for w in layer.weights] == [(4, 3), (3,)]
    model(np.ones((1, 4), dtype="float32"))
    assert len(model.weights) == 6


def test_specifying_the_input_shape_in_advance_gives_a_summary():
    model = keras.Sequential()
    model.add(keras.Input(shape=(4,)))
    model.add(layers.Dense(2, activation="relu"))
    lines = []
    model.summary(print_fn=lines.append)
    assert any("(None, 2)" in line and "10" in line for line in lines)
    assert model.layers[0].name.startswith("dense")


def summary_shapes(model):
    """The Output Shape column of a summary, e.g. ["(None, 123, 123, 32)", ...]."""
    lines = []
    model.summary(print_fn=lines.append)
    return [re.search(r"\(None[^)]*\)", line).group() for line in lines if "(None" in line]


def test_add_then_summary_is_how_to_debug_a_convolutional_stack():
    model = keras.Sequential()
    model.add(keras.Input(shape=(250, 250, 3)))
    model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
    model.add(layers.Conv2D(32, 3, activation="relu"))
    model.add(layers.MaxPooling2D(3))
    assert summary_shapes(model) == ["(None, 123, 123, 32)", "(None, 121, 121, 32)",
                                     "(None, 40, 40, 32)"]
    for pool_size in (3, 2):
        model.add(layers.Conv2D(32, 3, activation="relu"))
        model.add(layers.Conv2D(32, 3, activation="relu"))
        model.add(layers.MaxPooling2D(pool_size))
    assert summary_shapes(model)[-1] == "(None, 4, 4, 32)"
    assert model.count_params() == 48_672
    model.add(layers.GlobalMaxPooling2D())
    model.add(layers.Dense(10))
    assert model.output_shape == (None, 10)


def test_feature_extraction_from_every_convolution():
    initial_model = keras.Sequential([
        keras.Input(shape=(250, 250, 3)),
        layers.Conv2D(8, 5, strides=2, activation="relu"),
        layers.Conv2D(8, 3, activation="relu", name="my_intermediate_layer"),
        layers.Conv2D(8, 3, activation="relu"),
    ])
    feature_extractor = keras.Model(inputs=initial_model.inputs,
                                    outputs=[layer.output for layer in initial_model.layers])
    features = feature_extractor(np.ones((1, 250, 250, 3), dtype="float32"))
    assert [tuple(f.shape) for f in features] == [(1, 123, 123, 8), (1, 121, 121, 8),
                                                  (1, 119, 119, 8)]


def test_feature_extraction_from_every_layer():
    initial_model = keras.Sequential([
        keras.Input(shape=(250,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(32, activation="relu", name="my_intermediate_layer"),
        layers.Dense(32, activation="relu"),
    ])
    feature_extractor = keras.Model(
        inputs=initial_model.inputs,
        outputs=[layer.output for layer in initial_model.layers],
    )
    features = feature_extractor(np.ones((1, 250), dtype="float32"))
    assert [tuple(f.shape) for f in features] == [(1, 32)] * 3
    one = keras.Model(initial_model.inputs,
                      initial_model.get_layer(name="my_intermediate_layer").output)
    np.testing.assert_allclose(one(np.ones((1, 250))).detach().numpy(),
                               features[1].detach().numpy())


def test_transfer_learning_by_freezing_all_but_the_last_layer():
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(32, activation="relu"),
        layers.Dense(10),
    ])
    for layer in model.layers[:-1]:
        layer.trainable = False
    frozen_before = [w.copy() for w in model.get_weights()[:4]]
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    model.fit(rng.standard_normal((64, 784)), rng.standard_normal((64, 10)), epochs=1, verbose=0)
    for before, after in zip(frozen_before, model.get_weights()[:4], strict=True):
        np.testing.assert_array_equal(before, after)
