"""Learning rate schedules against their closed forms, and their configs."""

import math

import pytest
import torch

from minilib.optimizers import schedules
from minilib.optimizers.schedules import (
    CosineDecay,
    ExponentialDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
)


@pytest.mark.parametrize("step", [0, 1, 7, 10, 25, 1000])
def test_exponential_decay_is_smooth(step):
    schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert schedule(step) == pytest.approx(0.1 * 0.5 ** (step / 10))


@pytest.mark.parametrize("step, periods", [(0, 0), (9, 0), (10, 1), (19, 1), (25, 2)])
def test_exponential_decay_staircase_drops_every_decay_steps(step, periods):
    schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    assert schedule(step) == pytest.approx(0.1 * 0.5**periods)


@pytest.mark.parametrize("step", [0, 3, 50, 99, 100, 150])
def test_cosine_decay_without_warmup(step):
    schedule = CosineDecay(0.2, decay_steps=100, alpha=0.1)
    cosine = 0.5 * (1 + math.cos(math.pi * min(step, 100) / 100))
    assert schedule(step) == pytest.approx(0.2 * (0.9 * cosine + 0.1))


def test_cosine_decay_ends_at_alpha_times_the_start():
    schedule = CosineDecay(0.2, decay_steps=100, alpha=0.1)
    assert schedule(0) == pytest.approx(0.2)
    assert schedule(100) == schedule(10_000) == pytest.approx(0.02)


def test_cosine_decay_warms_up_linearly_then_decays_from_the_target():
    schedule = CosineDecay(0.0, decay_steps=100, warmup_target=1.0, warmup_steps=10)
    assert [schedule(step) for step in (0, 5, 10)] == pytest.approx([0.0, 0.5, 1.0])
    assert schedule(60) == pytest.approx(0.5)  # half way through the decay
    assert schedule(110) == schedule(500) == pytest.approx(0.0, abs=1e-12)


def test_piecewise_constant_boundaries_belong_to_the_earlier_piece():
    schedule = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    steps = [0, 10, 11, 20, 21, 10_000]
    assert [schedule(step) for step in steps] == [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]


def test_schedules_accept_one_element_tensors_and_return_floats():
    for schedule in (ExponentialDecay(0.1, 10, 0.5), CosineDecay(0.1, 10),
                     PiecewiseConstantDecay([5], [0.1, 0.01])):
        value = schedule(torch.tensor(7))
        assert isinstance(value, float)
        assert value == pytest.approx(schedule(7))


@pytest.mark.parametrize("make", [
    lambda: ExponentialDecay(0.1, decay_steps=0, decay_rate=0.5),
    lambda: CosineDecay(0.1, decay_steps=-1),
    lambda: PiecewiseConstantDecay([10, 20], [1.0, 0.5]),
])
def test_invalid_arguments_raise(make):
    with pytest.raises(ValueError):
        make()


SCHEDULES = [
    ExponentialDecay(0.1, decay_steps=7, decay_rate=0.9, staircase=True, name="exp"),
    CosineDecay(0.1, decay_steps=50, alpha=0.05, warmup_target=0.3, warmup_steps=5),
    PiecewiseConstantDecay([3, 8], [0.3, 0.2, 0.1]),
]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: type(s).__name__)
def test_config_round_trips(schedule):
    for rebuilt in (type(schedule).from_config(schedule.get_config()),
                    schedules.deserialize(schedules.serialize(schedule))):
        assert type(rebuilt) is type(schedule)
        assert rebuilt.get_config() == schedule.get_config()
        assert [rebuilt(step) for step in range(60)] == [schedule(step) for step in range(60)]


def test_keras_config_names_and_defaults():
    assert ExponentialDecay(0.1, 10, 0.5).get_config() == {
        "initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5,
        "staircase": False, "name": "ExponentialDecay",
    }
    assert CosineDecay(0.1, 10).get_config() == {
        "initial_learning_rate": 0.1, "decay_steps": 10, "alpha": 0.0,
        "name": "CosineDecay", "warmup_target": None, "warmup_steps": 0,
    }
    assert PiecewiseConstantDecay([1], [0.1, 0.01]).get_config() == {
        "boundaries": [1], "values": [0.1, 0.01], "name": "PiecewiseConstant",
    }


class InverseStep(LearningRateSchedule):
    def __init__(self, initial_learning_rate):
        self.initial_learning_rate = initial_learning_rate

    def __call__(self, step):
        return self.initial_learning_rate / (step + 1)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate}


def test_custom_schedules_deserialize_through_custom_objects():
    config = schedules.serialize(InverseStep(0.3))
    with pytest.raises(ValueError, match="custom_objects"):
        schedules.deserialize(config)
    rebuilt = schedules.deserialize(config, custom_objects={"InverseStep": InverseStep})
    assert rebuilt(2) == pytest.approx(0.1)


def test_base_class_says_what_to_implement():
    with pytest.raises(NotImplementedError, match="__call__"):
        LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="get_config"):
        LearningRateSchedule().get_config()
