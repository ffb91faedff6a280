import numpy as np
import pytest
import torch

import minilib
from minilib import layers


def test_multi_input_multi_output_model_runs_by_position_and_by_name():
    title = minilib.Input(shape=(5,), name="title")
    body = minilib.Input(shape=(7,), name="body")
    merged = layers.concatenate([layers.Dense(4)(title), layers.Dense(4)(body)])
    priority = layers.Dense(1, name="priority")(merged)
    department = layers.Dense(3, name="department")(merged)
    model = minilib.Model(inputs=[title, body], outputs=[priority, department])
    assert isinstance(model, minilib.models.Functional)

    t, b = np.ones((2, 5), dtype="float32"), np.ones((2, 7), dtype="float32")
    by_position = model([t, b])
    by_name = model({"title": t, "body": b})
    assert [tuple(o.shape) for o in by_position] == [(2, 1), (2, 3)]
    for first, second in zip(by_position, by_name, strict=True):
        torch.testing.assert_close(first, second)


def test_dict_inputs_and_outputs_keep_their_keys():
    a, b = minilib.Input(shape=(2,)), minilib.Input(shape=(3,))
    out = layers.Dense(1)(layers.concatenate([a, b]))
    model = minilib.Model(inputs={"a": a, "b": b}, outputs={"score": out, "copy": a})
    result = model({"a": np.ones((4, 2)), "b": np.ones((4, 3))})
    assert set(result) == {"score", "copy"} and result["score"].shape == (4, 1)
    with pytest.raises(ValueError, match=r"missing input\(s\) \['b'\]"):
        model({"a": np.ones((4, 2))})


def test_shared_layer_uses_the_same_weights_twice():
    shared = layers.Dense(3, name="shared")
    a, b = minilib.Input(shape=(4,)), minilib.Input(shape=(4,))
    model = minilib.Model([a, b], layers.add([shared(a), shared(b)]))
    assert len(model.weights) == 2
    x = np.random.default_rng(0).standard_normal((2, 4)).astype("float32")
    np.testing.assert_allclose(model([x, x]).detach().numpy(),
                               2 * shared(x).detach().numpy(), rtol=1e-6)


def test_nested_model_as_a_layer():
    inner_in = minilib.Input(shape=(4,))
    inner = minilib.Model(inner_in, layers.Dense(2)(inner_in), name="encoder")
    outer_in = minilib.Input(shape=(4,))
    outer = minilib.Model(outer_in, layers.Dense(1)(inner(outer_in)))
    assert outer.layers[1] is inner
    assert len(outer.weights) == 4
    x = np.ones((3, 4), dtype="float32")
    expected = outer.layers[2](inner(x))
    torch.testing.assert_close(outer(x), expected)


def test_wrong_number_of_inputs_is_explained():
    a, b = minilib.Input(shape=(2,), name="a"), minilib.Input(shape=(2,), name="b")
    model = minilib.Model([a, b], layers.add([a, b]))
    with pytest.raises(ValueError, match=r"expects 2 input\(s\) \(a, b\), but received 1"):
        model([np.ones((1, 2))])


def test_disconnected_graph_is_reported():
    a, b = minilib.Input(shape=(2,), name="a"), minilib.Input(shape=(2,), name="b")
    with pytest.raises(ValueError, match="disconnected.*'b'"):
        minilib.Model(a, layers.add([a, b]))


def test_inputs_must_be_input_tensors():
    a = minilib.Input(shape=(2,))
    hidden = layers.Dense(2)(a)
    with pytest.raises(ValueError, match="must come straight from minilib.Input"):
        minilib.Model(hidden, layers.Dense(1)(hidden))


def test_layers_are_in_run_order_and_include_inputs():
    a = minilib.Input(shape=(2,), name="x")
    h = layers.Dense(2, name="h")(a)
    model = minilib.Model(a, layers.Dense(1, name="o")(h))
    assert [layer.name for layer in model.layers] == ["x", "h", "o"]


def test_training_flag_recorded_in_graph_is_honoured():
    a = minilib.Input(shape=(100,))
    always_on = layers.Dropout(0.5)(a, training=True)
    model = minilib.Model(a, always_on)
    assert (model(np.ones((2, 100), dtype="float32")).numpy() == 0).any()


def test_subclassed_model_builds_lazily_and_tracks_layers():
    class MLP(minilib.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(8, activation="relu")
            self.out = layers.Dense(2)

        def call(self, inputs):
            return self.out(self.hidden(inputs))

    model = MLP()
    assert model.name.startswith("mlp") and not model.built
    model.build((None, 3))
    assert model.built and len(model.weights) == 4 and len(model.layers) == 2
    assert model(np.ones((5, 3), dtype="float32")).shape == (5, 2)


def test_model_rejects_positional_arguments_for_subclasses():
    class Tiny(minilib.Model):
        def call(self, inputs):
            return inputs

    with pytest.raises(TypeError, match="keyword arguments only"):
        Tiny(3)


def test_a_subclass_called_with_inputs_and_outputs_is_functional_and_keeps_its_methods():
    class Scaled(minilib.Model):
        def __init__(self, *args, factor=2.0, **kwargs):
            super().__init__(*args, **kwargs)
            self.factor = factor

        def predict_step(self, data):
            return self.factor * super().predict_step(data)

    inputs = minilib.Input(shape=(3,), name="x")
    outputs = layers.Dense(2, name="d")(inputs)
    model = Scaled(inputs, outputs, factor=3.0, name="scaled")
    by_keywords = Scaled(inputs=inputs, outputs=outputs)
    x = np.ones((4, 3), dtype="float32")

    assert type(model) is Scaled and isinstance(model, minilib.models.Functional)
    assert model.name == "scaled" and [layer.name for layer in model.layers] == ["x", "d"]
    np.testing.assert_allclose(model.predict(x, verbose=0), 3.0 * model(x).detach().numpy(),
                               rtol=1e-6)
    assert by_keywords.factor == 2.0 and by_keywords.output_shape == (None, 2)
    rebuilt = Scaled.from_config(model.get_config())
    assert type(rebuilt) is Scaled and [w.shape for w in rebuilt.weights] == [(3, 2), (2,)]


def test_a_subclass_of_a_functional_subclass_is_functional_too():
    class Base(minilib.Model):
        def describe(self):
            return "base"

    class Child(Base):
        pass

    inputs = minilib.Input(shape=(2,))
    model = Child(inputs, layers.Dense(1)(inputs))
    assert model.describe() == "base" and isinstance(model, minilib.models.Functional)
    assert model(np.ones((3, 2), dtype="float32")).shape == (3, 1)


def test_input_and_output_shapes_as_in_keras():
    a, b = minilib.Input(shape=(3,)), minilib.Input(shape=(5, 2))
    two_in_two_out = minilib.Model([a, b], [layers.Dense(2)(a), layers.Flatten()(b)])
    assert two_in_two_out.input_shape == [(None, 3), (None, 5, 2)]
    assert two_in_two_out.output_shape == [(None, 2), (None, 10)]
    by_name = minilib.Model({"a": a}, {"out": layers.Dense(4)(a)})
    assert by_name.input_shape == (None, 3) and by_name.output_shape == (None, 4)


def test_output_names_name_the_layer_behind_each_output_as_in_keras():
    sequence = minilib.Input(shape=(5, 3))
    output, _, cell_state = layers.LSTM(2, return_state=True, name="encoder")(sequence)
    score = layers.Dense(1, name="score")(output)
    model = minilib.Model(sequence, [score, output, cell_state])
    assert model.output_names == ["score", "encoder", "encoder"]  # Keras 3 repeats the name
