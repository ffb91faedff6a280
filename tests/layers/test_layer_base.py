"""The Layer base class: weights, names, freezing, losses, configs, torch integration."""

import numpy as np
import pytest
import torch

import minilib
from minilib import layers


class Linear(layers.Layer):
    """The custom layer from the subclassing guide: weights made in build()."""

    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return minilib.ops.matmul(inputs, self.w) + self.b


class ComputeSum(layers.Layer):
    """A layer with a non-trainable weight, as in the guide."""

    def __init__(self, input_dim, **kwargs):
        super().__init__(**kwargs)
        self.total = self.add_weight(shape=(input_dim,), initializer="zeros", trainable=False)

    def call(self, inputs):
        self.total.assign_add(minilib.ops.sum(inputs, axis=0))
        return self.total


def test_lazy_build_creates_weights_on_first_call():
    layer = Linear(4)
    assert not layer.built and layer.weights == []
    layer(np.ones((2, 3), dtype="float32"))
    assert layer.built
    assert [tuple(w.shape) for w in layer.weights] == [(3, 4), (4,)]
    assert layer.count_params() == 16


def test_weights_are_torch_parameters_under_their_attribute_names():
    layer = Linear(4, name="lin")
    layer(np.ones((2, 3), dtype="float32"))
    assert list(dict(layer.named_parameters())) == ["w", "b"]
    assert list(layer.state_dict()) == ["w", "b"]
    assert layer.w is layer.weights[0]
    assert layer.w.path == "lin/variable"


def test_non_trainable_weight_accumulates_and_is_tracked_separately():
    layer = ComputeSum(2)
    layer(np.ones((2, 2), dtype="float32"))
    out = layer(np.ones((2, 2), dtype="float32"))
    np.testing.assert_array_equal(out.detach().numpy(), [4.0, 4.0])
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 1
    assert not layer.total.requires_grad


def test_automatic_names_count_up_and_clear_session_resets():
    minilib.utils.clear_session()
    assert [layers.Dense(1).name for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert layers.BatchNormalization.__name__ if hasattr(layers, "BatchNormalization") else True
    minilib.utils.clear_session()
    assert layers.Dense(1).name == "dense"
    assert Linear().name == "linear"


def test_freezing_a_layer_stops_gradients_and_hides_weights():
    dense = layers.Dense(2)
    dense(np.ones((1, 3), dtype="float32"))
    dense.trainable = False
    assert dense.trainable_weights == [] and len(dense.non_trainable_weights) == 2
    assert not any(p.requires_grad for p in dense.parameters())
    dense.trainable = True
    assert all(p.requires_grad for p in dense.parameters())


def test_freezing_a_model_freezes_nested_layers():
    model = minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(2), layers.Dense(1)])
    model.trainable = False
    assert all(not layer.trainable for layer in model.layers)
    assert model.trainable_weights == []
    model.layers[1].trainable = True
    model.trainable = True
    assert len(model.trainable_weights) == 4


def test_get_and_set_weights_check_count_and_shapes():
    dense = layers.Dense(2, name="d")
    dense(np.ones((1, 3), dtype="float32"))
    kernel, bias = np.arange(6, dtype="float32").reshape(3, 2), np.array([1.0, 2.0])
    dense.set_weights([kernel, bias])
    got = dense.get_weights()
    np.testing.assert_array_equal(got[0], kernel)
    np.testing.assert_array_equal(got[1], bias)
    with pytest.raises(ValueError, match=r"'d' has 2 weights.*received 1"):
        dense.set_weights([kernel])
    with pytest.raises(ValueError, match=r"'d/kernel' has shape \(3, 2\).*\(2, 3\)"):
        dense.set_weights([kernel.T, bias])


def test_count_params_before_build_explains():
    with pytest.raises(ValueError, match="not built yet"):
        layers.Dense(3).count_params()


def test_variables_work_in_torch_ops_and_have_keras_methods():
    v = minilib.Variable(np.array([1.0, 2.0]), name="v")
    assert isinstance(v, torch.nn.Parameter)
    assert torch.allclose(v * 2, torch.tensor([2.0, 4.0]))
    v.assign([3.0, 4.0])
    v.assign_sub([1.0, 1.0])
    v.assign_add([0.5, 0.5])
    np.testing.assert_allclose(v.numpy(), [2.5, 3.5])
    assert v.shape == (2,) and v.name == "v" and v.value is v
    with pytest.raises(ValueError, match=r"shape \(3,\) to a variable of shape \(2,\)"):
        v.assign([1.0, 2.0, 3.0])
    frozen = minilib.Variable(np.zeros(2), trainable=False)
    assert not frozen.requires_grad and not frozen.trainable


def test_activity_regularizer_and_add_loss_reset_every_forward_pass():
    class Penalized(layers.Layer):
        def call(self, inputs):
            self.add_loss(minilib.ops.sum(inputs))
            return inputs

    layer = Penalized()
    layer(np.ones((2, 2), dtype="float32"))
    layer(np.ones((1, 2), dtype="float32"))
    assert len(layer.losses) == 1 and float(layer.losses[0]) == 2.0

    dense = layers.Dense(1, kernel_initializer="ones",
                         kernel_regularizer=minilib.regularizers.L2(0.5),
                         activity_regularizer=minilib.regularizers.L1(0.1))
    dense(np.ones((1, 3), dtype="float32"))
    values = sorted(float(v.detach()) for v in dense.losses)
    np.testing.assert_allclose(values, [0.3, 1.5], rtol=1e-6)  # L1 on output 3, L2 on kernel


def test_add_loss_values_last_until_the_layer_or_its_owner_is_called_again():
    # Keras 3 empties the lists of the outermost layer called and of its sublayers only.
    class Penalized(layers.Layer):
        def call(self, inputs):
            self.add_loss(minilib.ops.sum(inputs))
            return inputs

    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2, kernel_initializer="ones")
            self.penalized = Penalized()

        def call(self, inputs):
            return self.penalized(self.dense(inputs))

    block, other = Block(), Penalized()
    block(np.ones((1, 3), dtype="float32"))  # penalty: sum of [3, 3] = 6
    other(np.ones((1, 5), dtype="float32"))  # an unrelated call keeps block's loss
    block.dense(np.ones((1, 3), dtype="float32"))  # so does calling one of its sublayers
    assert [v.item() for v in block.losses] == [6.0] and [v.item() for v in other.losses] == [5.0]
    block(np.zeros((1, 3), dtype="float32"))
    assert [v.item() for v in block.losses] == [0.0]

    inputs = minilib.Input(shape=(3,))
    model = minilib.Model(inputs, Penalized()(layers.Dense(2)(inputs)))
    assert model.losses == []  # the shape-finding runs on placeholders leave no losses


def test_lists_of_sublayers_are_tracked_by_torch_and_keras():
    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.stack = [layers.Dense(4), layers.Dense(2)]

        def call(self, inputs):
            for layer in self.stack:
                inputs = layer(inputs)
            return inputs

    block = Block()
    block(np.ones((1, 3), dtype="float32"))
    assert len(block.weights) == 4
    assert len(list(block.parameters())) == 4
    assert list(block.state_dict())[0] == "stack.0.kernel"


def test_training_flag_reaches_nested_layers_through_context():
    seen = []

    class Spy(layers.Layer):
        def call(self, inputs, training=None):
            seen.append(training)
            return inputs

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Spy()

        def call(self, inputs):
            return self.inner(inputs)

    outer = Outer()
    outer(np.ones((1, 1), dtype="float32"), training=True)
    outer(np.ones((1, 1), dtype="float32"))
    assert seen == [True, None]


def test_auto_config_for_custom_layers_round_trips():
    layer = Linear(units=7, name="custom")
    config = layer.get_config()
    assert config["units"] == 7 and config["name"] == "custom"
    assert Linear.from_config(config).units == 7


def test_numpy_float64_inputs_are_cast_to_float32():
    out = layers.Dense(2)(np.ones((1, 3)))
    assert out.dtype == torch.float32


def test_layer_is_a_torch_module_that_moves_and_compiles():
    model = minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(4, activation="relu"),
                                layers.Dense(1)])
    model.to(torch.float64)
    assert all(isinstance(w, minilib.Variable) and w.dtype == torch.float64 for w in model.weights)
    model.to(torch.float32)
    x = torch.ones(2, 3)
    compiled = torch.compile(model, backend="eager")
    torch.testing.assert_close(compiled(x), model(x))


def test_calling_build_directly_marks_the_layer_built_and_keeps_set_weights():
    dense = layers.Dense(2)
    dense.build((None, 3))
    assert dense.built and dense.get_build_config() == {"input_shape": (None, 3)}
    kernel = np.arange(6, dtype="float32").reshape(3, 2)
    dense.set_weights([kernel, np.zeros(2, dtype="float32")])
    out = dense(np.ones((1, 3), dtype="float32"))
    np.testing.assert_allclose(out.detach().numpy(), [[6.0, 9.0]])


def test_input_and_output_are_missing_until_a_call_then_the_first_call_answers():
    """As in Keras: `hasattr(layer, "input")` is False before any call (an AttributeError,
    which torch.jit.trace and hasattr rely on), and a shared layer answers for its first call."""
    dense = minilib.layers.Dense(2)
    assert not hasattr(dense, "input") and not hasattr(dense, "output")
    with pytest.raises(AttributeError, match="'dense.*' has never been called on a symbolic "
                                             "input, so it has no `output` yet"):
        _ = dense.output
    first, second = minilib.Input((3,)), minilib.Input((3,))
    first_output = dense(first)
    dense(second)
    assert dense.input is first and dense.output is first_output
