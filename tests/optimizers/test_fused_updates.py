"""The fast path (`minilib/optimizers/fused/`) against the readable `update_step` rule.

Two optimizers with the same settings train the same float64 variables for 20
steps; one may take the fused path, the other has `use_fused_update = False`
and runs `update_step` variable by variable. Both must give the same weights and
the same slot variables at every step, for every optimizer and option.
"""

import numpy as np
import pytest
import torch

from minilib.backend import Variable
from minilib.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop, schedules

STEPS = 20
RNG = np.random.default_rng(0)
INITIAL = [RNG.normal(size=(3, 4)), RNG.normal(size=(4,)), RNG.normal(size=(2, 3))]
CURVATURE = [RNG.uniform(0.5, 3.0, size=w.shape) for w in INITIAL]
TARGET = [RNG.normal(size=w.shape) for w in INITIAL]


def gradient(params):
    """Gradient of sum(0.5 * c * (w - target)**2 - 0.3 * cos(w)): quadratic plus a wiggle."""
    return [torch.as_tensor(c * (w - t) + 0.3 * np.sin(w))
            for w, c, t in zip(params, CURVATURE, TARGET, strict=True)]


def make_variables(dtypes=("float64",) * 3):
    return [Variable(w.copy(), dtype=dtype, name=name)
            for w, dtype, name in zip(INITIAL, dtypes, ["kernel", "bias", "other"], strict=True)]


class CountingRule:
    """Counts the calls of an optimizer's readable `update_step`."""

    def __init__(self, optimizer):
        self.calls = 0
        self._rule = optimizer.update_step
        # An instance attribute: the class's own `update_step` still decides the path.
        optimizer.update_step = self

    def __call__(self, gradient, variable, learning_rate):
        self.calls += 1
        self._rule(gradient, variable, learning_rate)


def trajectory(optimizer, variables, drop=None):
    """Weights and slots after each of STEPS steps; `drop` leaves that variable's gradient out."""
    steps = []
    for _ in range(STEPS):
        grads = gradient([v.detach().numpy().astype(np.float64) for v in variables])
        grads = [g.to(v.dtype) for g, v in zip(grads, variables, strict=True)]
        if drop is not None:
            grads[drop] = None
        optimizer.apply(grads, variables)
        steps.append([t.detach().numpy().copy() for t in [*variables, *optimizer.variables]])
    return steps


def assert_same_trajectory(fused_steps, readable_steps):
    for fused, readable in zip(fused_steps, readable_steps, strict=True):
        for a, b in zip(fused, readable, strict=True):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    # The weights moved: agreeing on a trajectory that stands still proves nothing.
    assert np.abs(fused_steps[-1][0] - INITIAL[0]).max() > 1e-3


def schedule():
    return schedules.ExponentialDecay(0.05, decay_steps=4, decay_rate=0.5)


CLIPPING = [{"clipnorm": 0.5}, {"clipvalue": 0.2}, {"global_clipnorm": 0.7}]
CASES = [
    (SGD, {"learning_rate": 0.05}),
    (SGD, {"learning_rate": 0.05, "momentum": 0.9}),
    (SGD, {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    (SGD, {"learning_rate": 0.05, "momentum": 0.5, "weight_decay": 0.1}),
    *[(SGD, {"learning_rate": 0.05, "momentum": 0.9, **clip}) for clip in CLIPPING],
    (SGD, {"learning_rate": schedule(), "momentum": 0.9, "nesterov": True}),
    (Adam, {"learning_rate": 0.05}),
    (Adam, {"learning_rate": 0.05, "amsgrad": True}),
    (Adam, {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-3}),
    (Adam, {"learning_rate": 0.05, "weight_decay": 0.1}),
    *[(Adam, {"learning_rate": 0.05, **clip}) for clip in CLIPPING],
    (Adam, {"learning_rate": schedule(), "amsgrad": True}),
    (AdamW, {"learning_rate": 0.05}),
    (AdamW, {"learning_rate": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    *[(AdamW, {"learning_rate": 0.05, **clip}) for clip in CLIPPING],
    (AdamW, {"learning_rate": schedule(), "weight_decay": 0.1}),
    (RMSprop, {"learning_rate": 0.05}),
    (RMSprop, {"learning_rate": 0.05, "momentum": 0.9}),
    (RMSprop, {"learning_rate": 0.05, "centered": True}),
    (RMSprop, {"learning_rate": 0.05, "centered": True, "momentum": 0.5, "rho": 0.8}),
    (RMSprop, {"learning_rate": 0.05, "weight_decay": 0.1}),
    *[(RMSprop, {"learning_rate": 0.05, "momentum": 0.5, **clip}) for clip in CLIPPING],
    (RMSprop, {"learning_rate": schedule(), "centered": True}),
    (Adagrad, {"learning_rate": 0.1}),
    (Adagrad, {"learning_rate": 0.1, "initial_accumulator_value": 0.5, "epsilon": 1e-3}),
    (Adagrad, {"learning_rate": 0.1, "weight_decay": 0.1}),
    *[(Adagrad, {"learning_rate": 0.1, **clip}) for clip in CLIPPING],
    (Adagrad, {"learning_rate": schedule()}),
]


def case_id(case):
    cls, settings = case
    options = [f"{k}={'schedule' if k == 'learning_rate' and not isinstance(v, float) else v}"
               for k, v in settings.items()]
    return f"{cls.__name__}({', '.join(options)})"


def fused_and_readable(cls, settings):
    """Two optimizers from the same config: the first may fuse, the second may not."""
    fused = cls(**settings)
    readable = cls.from_config(fused.get_config())
    readable.use_fused_update = False
    return fused, readable


@pytest.mark.parametrize("case", CASES, ids=[case_id(case) for case in CASES])
def test_fused_path_follows_the_readable_rule(case):
    fused, readable = fused_and_readable(*case)
    fused_rule, readable_rule = CountingRule(fused), CountingRule(readable)

    fused_steps = trajectory(fused, make_variables())
    readable_steps = trajectory(readable, make_variables())

    assert_same_trajectory(fused_steps, readable_steps)
    assert fused_rule.calls == 0  # every step took the fused path
    assert readable_rule.calls == STEPS * len(INITIAL)


@pytest.mark.parametrize("cls", [SGD, Adam, AdamW, RMSprop, Adagrad])
def test_a_variable_without_gradient_keeps_its_slots_out_of_the_fused_step(cls):
    # Momentum and centering give every optimizer slots that must line up with the variables.
    settings = {"learning_rate": 0.05, "weight_decay": 0.1}
    settings.update({SGD: {"momentum": 0.9}, RMSprop: {"momentum": 0.5, "centered": True}}
                    .get(cls, {}))
    fused, readable = fused_and_readable(cls, settings)
    fused_variables = make_variables()
    fused_steps = trajectory(fused, fused_variables, drop=1)
    readable_steps = trajectory(readable, make_variables(), drop=1)

    assert_same_trajectory(fused_steps, readable_steps)
    np.testing.assert_array_equal(fused_variables[1].detach().numpy(), INITIAL[1])


def test_variables_given_in_another_order_than_built_find_their_own_slots():
    def reversed_trajectory(optimizer):
        variables = make_variables()
        optimizer.build(variables)
        steps = []
        for _ in range(STEPS):
            grads = gradient([v.detach().numpy() for v in variables])
            optimizer.apply(grads[::-1], variables[::-1])
            steps.append([t.detach().numpy().copy() for t in [*variables, *optimizer.variables]])
        return steps

    fused, readable = fused_and_readable(Adam, {"learning_rate": 0.05, "amsgrad": True})
    assert_same_trajectory(reversed_trajectory(fused), reversed_trajectory(readable))


def test_mixed_dtypes_take_the_readable_path():
    optimizer = Adam(learning_rate=0.05)
    rule = CountingRule(optimizer)
    variables = make_variables(("float64", "float32", "float64"))
    trajectory(optimizer, variables)
    assert rule.calls == STEPS * len(INITIAL)


def test_a_subclass_with_its_own_update_step_is_never_bypassed():
    class SignSGD(SGD):
        def update_step(self, gradient, variable, learning_rate):
            variable.sub_(learning_rate * torch.sign(gradient))

    variable = Variable([1.0, -2.0], dtype="float64")
    SignSGD(learning_rate=0.5).apply([torch.tensor([3.0, -0.1], dtype=torch.float64)],
                                     [variable])
    np.testing.assert_array_equal(variable.detach().numpy(), [0.5, -1.5])


def test_a_subclass_that_keeps_the_rule_keeps_the_fast_path():
    class MyAdam(Adam):  # changes only the defaults
        def __init__(self, learning_rate=0.05, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

    optimizer = MyAdam()
    rule = CountingRule(optimizer)
    trajectory(optimizer, make_variables())
    assert rule.calls == 0


def test_exclude_from_weight_decay_holds_on_the_fused_path():
    fused, readable = fused_and_readable(AdamW, {"learning_rate": 0.05, "weight_decay": 0.5})
    fused_variables, readable_variables = make_variables(), make_variables()
    fused.exclude_from_weight_decay(var_names=["bias"])
    readable.exclude_from_weight_decay(var_names=["bias"])
    fused_steps = trajectory(fused, fused_variables)
    readable_steps = trajectory(readable, readable_variables)
    assert_same_trajectory(fused_steps, readable_steps)

    # Without the exclusion the bias ends elsewhere: the exclusion did take effect.
    decayed_everywhere = AdamW(learning_rate=0.05, weight_decay=0.5)
    other = make_variables()
    trajectory(decayed_everywhere, other)
    assert np.abs(other[1].detach().numpy() - fused_variables[1].detach().numpy()).max() > 1e-3



def test_weight_decay_with_every_variable_excluded_leaves_the_weights_to_the_rule():
    fused, readable = fused_and_readable(SGD, {"learning_rate": 0.05, "weight_decay": 0.5})
    fused_variables, readable_variables = make_variables(), make_variables()
    fused.exclude_from_weight_decay(var_list=fused_variables)
    readable.exclude_from_weight_decay(var_list=readable_variables)
    assert_same_trajectory(trajectory(fused, fused_variables),
                           trajectory(readable, readable_variables))
