"""Options only Keras has are dropped when neutral, and refused, clearly, when in use.

(`tests/porting` checks the same on files written by real Keras.)
"""

import pytest

from minilib import initializers, layers, optimizers
from minilib.saving import deserialize_keras_object, serialize_keras_object
from minilib.serialization.keras_only_options import drop_keras_only_options


def keras_style(obj, **keras_options):
    """`obj`'s saved config, with options added as Keras would write them."""
    config = serialize_keras_object(obj)
    config["config"].update(keras_options)
    return config


def test_neutral_keras_options_are_dropped():
    config = keras_style(layers.Dense(3, name="d"), quantization_config=None, lora_rank=None)
    config["config"]["kernel_initializer"] = {  # as Keras writes it
        "module": "keras.initializers", "class_name": "GlorotUniform", "registered_name": None,
        "config": {"seed": None, "input_axes": None, "output_axes": None}}
    dense = deserialize_keras_object(drop_keras_only_options(config, "'x.keras'"))
    assert isinstance(dense, layers.Dense) and dense.units == 3
    assert isinstance(dense.kernel_initializer, initializers.GlorotUniform)


def test_options_that_matter_only_with_another_one_take_any_value():
    config = keras_style(optimizers.Adam(), use_ema=False, ema_momentum=0.5,
                         ema_overwrite_frequency=3, loss_scale_factor=None,
                         gradient_accumulation_steps=None)
    assert "ema_momentum" not in drop_keras_only_options(config, "'x.keras'")["config"]


def test_an_option_in_use_is_refused_naming_the_file_the_object_and_the_option():
    config = keras_style(layers.BatchNormalization(name="bn"), renorm=True)
    with pytest.raises(ValueError, match=r"'x\.keras': BatchNormalization 'bn' uses the Keras "
                                         r"option renorm=True.*only renorm=False"):
        drop_keras_only_options({"layers": [config]}, "'x.keras'")


def test_custom_classes_keep_their_config():
    config = {"module": "my_project", "class_name": "MyLayer", "registered_name": "MyLayer",
              "config": {"ragged": True}}
    assert drop_keras_only_options(config, "'x.keras'") == config
