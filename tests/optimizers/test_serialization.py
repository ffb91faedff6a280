"""`get`, `serialize`, `deserialize`, `get_config` / `from_config`, and Keras's defaults."""

import pytest

from minilib import optimizers
from minilib.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop
from minilib.optimizers.schedules import CosineDecay

BASE_DEFAULTS = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None,
                 "clipvalue": None}

# Keras 3's defaults for each optimizer (keras/src/optimizers/*.py).
KERAS_DEFAULTS = {
    SGD: {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    Adam: {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
           "amsgrad": False},
    AdamW: {"learning_rate": 0.001, "weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999,
            "epsilon": 1e-7, "amsgrad": False},
    RMSprop: {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7,
              "centered": False},
    Adagrad: {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
}


@pytest.mark.parametrize("cls", list(KERAS_DEFAULTS), ids=lambda cls: cls.__name__)
def test_defaults_match_keras(cls):
    config = cls(name="opt").get_config()
    assert config == {"name": "opt", **BASE_DEFAULTS, **KERAS_DEFAULTS[cls]}


@pytest.mark.parametrize("name, cls", [
    ("sgd", SGD), ("adam", Adam), ("Adam", Adam), ("adamw", AdamW), ("AdamW", AdamW),
    ("rmsprop", RMSprop), ("RMSprop", RMSprop), ("adagrad", Adagrad),
])
def test_get_by_name(name, cls):
    optimizer = optimizers.get(name)
    assert type(optimizer) is cls
    assert optimizer.get_config()["learning_rate"] == KERAS_DEFAULTS[cls]["learning_rate"]


def test_get_passes_instances_and_none_through():
    optimizer = Adam()
    assert optimizers.get(optimizer) is optimizer
    assert optimizers.get(None) is None


def test_get_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError,
                       match="'adma'. Did you mean 'Adam'.*Adagrad, Adam, AdamW, RMSprop, SGD"):
        optimizers.get("adma")
    with pytest.raises(ValueError, match="Could not interpret"):
        optimizers.get(42)


CONFIGURED = [
    SGD(learning_rate=0.1, momentum=0.9, nesterov=True, clipnorm=1.0, name="my_sgd"),
    Adam(learning_rate=0.02, beta_1=0.8, amsgrad=True, global_clipnorm=2.0),
    AdamW(learning_rate=0.003, weight_decay=0.05, clipvalue=0.5),
    RMSprop(learning_rate=0.004, rho=0.8, momentum=0.3, centered=True, weight_decay=0.01),
    Adagrad(learning_rate=0.05, initial_accumulator_value=0.2, epsilon=1e-6),
    SGD(learning_rate=CosineDecay(0.1, decay_steps=100, warmup_target=0.5, warmup_steps=10)),
]


@pytest.mark.parametrize("optimizer", CONFIGURED, ids=lambda o: type(o).__name__)
def test_config_round_trips(optimizer):
    config = optimizer.get_config()
    for rebuilt in (type(optimizer).from_config(config),
                    optimizers.deserialize(optimizers.serialize(optimizer)),
                    optimizers.get(optimizers.serialize(optimizer))):
        assert type(rebuilt) is type(optimizer)
        assert rebuilt.get_config() == config
    assert optimizer.get_config() == config  # from_config did not change the dict


def test_a_schedule_is_serialized_inside_the_config():
    optimizer = CONFIGURED[-1]
    learning_rate = optimizers.serialize(optimizer)["config"]["learning_rate"]
    assert learning_rate["class_name"] == "CosineDecay"
    rebuilt = optimizers.deserialize(optimizers.serialize(optimizer))
    assert rebuilt.learning_rate == optimizer.learning_rate == pytest.approx(0.1)


def test_serialize_format():
    assert optimizers.serialize(Adam(name="adam")) == {
        "module": "keras.optimizers",
        "class_name": "Adam",
        "config": Adam(name="adam").get_config(),
        "registered_name": None,
    }


def test_custom_optimizers_deserialize_through_custom_objects():
    class Plain(SGD):
        pass

    config = optimizers.serialize(Plain(learning_rate=0.3))
    with pytest.raises(ValueError, match="custom_objects"):
        optimizers.deserialize(config)
    rebuilt = optimizers.deserialize(config, custom_objects={"Plain": Plain})
    assert type(rebuilt) is Plain and rebuilt.get_config()["learning_rate"] == 0.3


def test_names_are_unique_and_snake_case():
    first, second = RMSprop(), RMSprop()
    assert first.name.startswith("rm_sprop") and second.name != first.name
    assert second.iterations.path == f"{second.name}/iteration"


def test_argument_checks():
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=1.5)
