"""A layer's build state: `built`, the input shape it was built for, and the build config.

Every way of building (the first call, a direct `build`, loading a saved model, Keras's
`self.built = True`) must leave `built` and `get_build_config()` agreeing.
"""

import copy
import pickle

import numpy as np
import torch

import minilib
from minilib import layers


class CountingBuild(layers.Layer):
    """Keras's idiom: a custom `build` that sets `self.built = True` itself."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.builds = 0

    def build(self, input_shape):
        self.builds += 1
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        self.built = True

    def call(self, inputs):
        return inputs * self.w


class BuiltInInit(layers.Layer):
    """A layer that makes its weight in `__init__` and says so, as Keras code does."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scale = self.add_weight(shape=(), initializer="ones")
        self.built = True

    def build(self, input_shape):
        raise AssertionError("a built layer must not build again")

    def call(self, inputs):
        return inputs * self.scale


class Doubled(CountingBuild):
    """A subclass whose `build` calls `super().build` with the shape it was given."""

    def build(self, input_shape):
        super().build(input_shape)
        self.v = self.add_weight(shape=(input_shape[-1],), initializer="zeros")


def test_first_call_builds_once_and_records_the_input_shape():
    layer = CountingBuild()
    assert not layer.built and layer.get_build_config() is None
    layer(np.ones((2, 3)))
    layer(np.ones((5, 3)))
    assert layer.builds == 1 and layer.built
    assert layer.get_build_config() == {"input_shape": (2, 3)}


def test_symbolic_call_records_the_symbolic_shape():
    layer = CountingBuild()
    layer(minilib.Input((4,)))
    assert layer.built and layer.get_build_config() == {"input_shape": (None, 4)}


def test_built_set_in_init_is_built_without_a_known_shape():
    layer = BuiltInInit()
    assert layer.built and layer.get_build_config() is None
    np.testing.assert_allclose(layer(np.full((1, 2), 3.0)).detach().numpy(), [[3.0, 3.0]])
    assert layer.get_build_config() is None  # the call did not build


def test_super_build_records_the_shape_once_and_a_direct_build_marks_built():
    layer = Doubled()
    layer.build((None, 5))
    assert layer.built and layer.builds == 1
    assert layer.get_build_config() == {"input_shape": (None, 5)}
    assert [tuple(w.shape) for w in layer.weights] == [(5,), (5,)]


def test_setting_built_false_makes_the_next_call_build_again():
    """An unbuilt layer has no build config (before one record, it kept the old shape)."""
    layer = CountingBuild()
    layer(np.ones((1, 3)))
    layer.built = False
    assert not layer.built and layer.get_build_config() is None
    layer(np.ones((1, 7)))
    assert layer.builds == 2 and layer.get_build_config() == {"input_shape": (1, 7)}


def test_setting_built_true_on_a_built_layer_keeps_its_shape():
    dense = layers.Dense(2)
    dense(np.ones((1, 3)))
    dense.built = True
    assert dense.get_build_config() == {"input_shape": (1, 3)}


def test_build_from_config_builds_the_same_weights_and_config():
    dense = layers.Dense(4)
    dense(minilib.Input((3,)))
    fresh = layers.Dense.from_config(dense.get_config())
    fresh.build_from_config(dense.get_build_config())
    assert fresh.built and fresh.get_build_config() == dense.get_build_config()
    assert [tuple(w.shape) for w in fresh.weights] == [(3, 4), (4,)]
    fresh.build_from_config({"input_shape": (None, 9)})  # already built: nothing changes
    assert [tuple(w.shape) for w in fresh.weights] == [(3, 4), (4,)]


def test_models_record_the_shape_of_their_inputs():
    inputs = minilib.Input((3,))
    functional = minilib.Model(inputs, layers.Dense(2)(inputs))
    sequential = minilib.Sequential([minilib.Input((3,)), layers.Dense(2)])
    assert functional.built and functional.get_build_config() == {"input_shape": [(None, 3)]}
    assert sequential.built and sequential.get_build_config() == {"input_shape": (None, 3)}
    assert minilib.Sequential([layers.Dense(2)]).get_build_config() is None


def test_the_build_state_survives_copies_and_pickles():
    unbuilt, built = layers.Dense(2), layers.Dense(2)
    built(np.ones((1, 3)))
    for copy_of in (copy.deepcopy, lambda layer: pickle.loads(pickle.dumps(layer))):
        assert not copy_of(unbuilt).built
        assert copy_of(unbuilt).get_build_config() is None
        copied = copy_of(built)
        assert copied.built and copied.get_build_config() == {"input_shape": (1, 3)}
        torch.testing.assert_close(copied(np.ones((1, 3))), built(np.ones((1, 3))))
