"""model.save("x.keras") then load_model: same architecture, weights and predictions."""

import numpy as np

import minilib
from minilib import layers
from minilib.saving import load_model, register_keras_serializable
from minilib.utils import tree

RNG = np.random.default_rng(0)
X3 = RNG.standard_normal((6, 3)).astype("float32")
X2 = RNG.standard_normal((6, 2)).astype("float32")


def reload(model, tmp_path, **kwargs):
    path = tmp_path / "model.keras"
    model.save(path)
    return load_model(path, **kwargs)


def assert_same_predictions(model, loaded, x):
    expected = tree.flatten(model.predict(x, verbose=0))
    actual = tree.flatten(loaded.predict(x, verbose=0))
    assert len(expected) == len(actual)
    for e, a in zip(expected, actual, strict=True):
        np.testing.assert_array_equal(e, a)


def test_sequential_with_input(tmp_path):
    model = minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(4, activation="relu"),
                                layers.Dropout(0.5), layers.Dense(2)], name="stack")
    loaded = reload(model, tmp_path)
    assert isinstance(loaded, minilib.Sequential) and loaded.name == "stack"
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert loaded.layers[0].activation is minilib.activations.relu
    assert_same_predictions(model, loaded, X3)


def test_sequential_with_input_shape(tmp_path):
    model = minilib.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(1)])
    loaded = reload(model, tmp_path)
    assert loaded.built and loaded.count_params() == model.count_params()
    assert_same_predictions(model, loaded, X3)


def test_sequential_built_by_calling_it(tmp_path):
    model = minilib.Sequential([layers.Dense(4), layers.Dense(1)])
    model(X3)
    assert_same_predictions(model, reload(model, tmp_path), X3)


def test_functional_with_several_inputs_and_outputs(tmp_path):
    a, b = minilib.Input(shape=(3,), name="a"), minilib.Input(shape=(2,), name="b")
    merged = layers.Concatenate()([layers.Dense(4, activation="tanh")(a), b])
    outputs = {"score": layers.Dense(1, name="score")(merged),
               "probs": layers.Dense(3, activation="softmax", name="probs")(merged)}
    model = minilib.Model([a, b], outputs, name="two_heads")
    loaded = reload(model, tmp_path)
    assert isinstance(loaded, minilib.models.Functional) and loaded.name == "two_heads"
    assert [t.name for t in loaded.inputs] == ["a", "b"]
    assert set(loaded.output) == {"score", "probs"}
    assert_same_predictions(model, loaded, [X3, X2])


def test_shared_layer_is_still_one_layer(tmp_path):
    shared = layers.Dense(2, name="shared")
    a, b = minilib.Input(shape=(3,)), minilib.Input(shape=(3,))
    model = minilib.Model([a, b], layers.Add()([shared(a), shared(b)]))
    loaded = reload(model, tmp_path)
    assert len(loaded.get_layer("shared")._inbound_nodes) == 2
    assert len(loaded.weights) == 2
    assert_same_predictions(model, loaded, [X3, X3[::-1].copy()])


def test_layer_shared_at_different_depths(tmp_path):
    # dense(dense(x)): the second call needs the first one's output, so loading
    # must replay the calls in dependency order.
    square = layers.Dense(3, name="square")
    inputs = minilib.Input(shape=(3,))
    model = minilib.Model(inputs, layers.Dense(1)(square(square(inputs))))
    assert_same_predictions(model, reload(model, tmp_path), X3)


def test_nested_models(tmp_path):
    encoder_input = minilib.Input(shape=(3,))
    encoder = minilib.Model(encoder_input, layers.Dense(2)(encoder_input), name="encoder")
    head = minilib.Sequential([minilib.Input(shape=(2,)), layers.Dense(1)], name="head")
    inputs = minilib.Input(shape=(3,))
    code = encoder(inputs)
    model = minilib.Model(inputs, [head(code), code])
    loaded = reload(model, tmp_path)
    assert isinstance(loaded.get_layer("encoder"), minilib.models.Functional)
    assert isinstance(loaded.get_layer("head"), minilib.Sequential)
    assert_same_predictions(model, loaded, X3)


class Scale(layers.Layer):
    """A custom layer with a weight and a get_config."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.offset = self.add_weight(shape=(input_shape[-1],), initializer="random_normal")

    def call(self, inputs):
        return inputs * self.factor + self.offset

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class Residual(layers.Layer):
    """A custom layer without get_config: its constructor arguments are captured."""

    def __init__(self, units, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.inner = layers.Dense(units, activation=activation)

    def call(self, inputs):
        return inputs + self.inner(inputs)


class TinyNet(minilib.Model):
    def __init__(self, hidden=4, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.scale = Scale(3.0)
        self.blocks = [Residual(3), Residual(3, activation="tanh")]
        self.out = layers.Dense(1)

    def call(self, inputs):
        x = self.scale(inputs)
        for block in self.blocks:
            x = block(x)
        return self.out(x)


def test_subclassed_model_with_custom_layers(tmp_path):
    model = TinyNet(hidden=5, name="tiny")
    model(X3)
    custom = {"TinyNet": TinyNet, "Scale": Scale, "Residual": Residual}
    loaded = reload(model, tmp_path, custom_objects=custom)
    assert isinstance(loaded, TinyNet) and loaded.hidden == 5 and loaded.name == "tiny"
    assert loaded.scale.factor == 3.0
    assert loaded.blocks[1].inner.activation is minilib.activations.tanh
    assert_same_predictions(model, loaded, X3)


def test_custom_layer_in_functional_model(tmp_path):
    inputs = minilib.Input(shape=(3,))
    model = minilib.Model(inputs, layers.Dense(1)(Residual(3)(Scale(0.5)(inputs))))
    loaded = reload(model, tmp_path, custom_objects={"Scale": Scale, "Residual": Residual})
    assert_same_predictions(model, loaded, X3)


@register_keras_serializable(package="tests")
class Doubler(layers.Layer):
    def call(self, inputs):
        return inputs * 2


def test_registered_layer_needs_no_custom_objects(tmp_path):
    model = minilib.Sequential([minilib.Input(shape=(3,)), Doubler(), layers.Dense(1)])
    loaded = reload(model, tmp_path)
    assert isinstance(loaded.layers[0], Doubler)
    assert_same_predictions(model, loaded, X3)


def test_frozen_layer_stays_frozen(tmp_path):
    model = minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(2), layers.Dense(1)])
    model.layers[0].trainable = False
    loaded = reload(model, tmp_path)
    assert not loaded.layers[0].trainable and len(loaded.trainable_weights) == 2
