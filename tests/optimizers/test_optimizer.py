"""What every optimizer inherits from `Optimizer`: the learning rate, `iterations`,
slot variables, skipping, gradient clipping and weight decay."""

import warnings

import numpy as np
import pytest
import torch

from minilib.backend import Variable
from minilib.optimizers import SGD, Adam, AdamW, Optimizer, RMSprop
from minilib.optimizers.schedules import ExponentialDecay, PiecewiseConstantDecay


def variable(values, name="w", trainable=True):
    return Variable(np.array(values, dtype=np.float32), name=name, trainable=trainable)


def value(one_element_variable):
    return one_element_variable.numpy().item()


def grad(values):
    return torch.tensor(values, dtype=torch.float32)


def sgd_steps(optimizer, count):
    """The size of each of `count` SGD steps taken with a gradient of 1: the learning rate."""
    w = variable([0.0])
    sizes = []
    for _ in range(count):
        before = value(w)
        optimizer.apply([grad([1.0])], [w])
        sizes.append(before - value(w))
    return sizes


# ----- learning rate -----------------------------------------------------------------------

def test_learning_rate_reads_as_a_float_and_can_be_set():
    optimizer = Adam(learning_rate=0.001)
    assert float(optimizer.learning_rate) == pytest.approx(0.001)
    optimizer.learning_rate = 0.01
    assert float(optimizer.learning_rate) == pytest.approx(0.01)
    assert optimizer.get_config()["learning_rate"] == 0.01


def test_setting_the_learning_rate_takes_effect_at_the_next_step():
    optimizer = SGD(learning_rate=0.1)
    w = variable([0.0])
    optimizer.apply([grad([1.0])], [w])
    optimizer.learning_rate = 0.01  # what ReduceLROnPlateau does
    optimizer.apply([grad([1.0])], [w])
    optimizer.learning_rate.assign(0.001)  # the Variable itself can be assigned too
    optimizer.apply([grad([1.0])], [w])
    assert value(w) == pytest.approx(-0.111)


def test_a_schedule_is_evaluated_at_the_current_iteration():
    optimizer = SGD(learning_rate=PiecewiseConstantDecay([1, 3], [1.0, 0.5, 0.25]))
    assert optimizer.learning_rate == 1.0
    # Steps 0 and 1 use 1.0 (boundaries are inclusive), steps 2 and 3 use 0.5, then 0.25.
    assert sgd_steps(optimizer, 6) == pytest.approx([1.0, 1.0, 0.5, 0.5, 0.25, 0.25])
    assert optimizer.learning_rate == 0.25


def test_a_schedule_follows_an_assigned_iteration_count():
    optimizer = SGD(learning_rate=ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5))
    optimizer.iterations.assign(3)  # e.g. resuming from a checkpoint
    assert optimizer.learning_rate == pytest.approx(0.125)
    assert sgd_steps(optimizer, 2) == pytest.approx([0.125, 0.0625])
    assert int(optimizer.iterations) == 5


def test_a_schedule_learning_rate_cannot_be_set_to_a_number():
    optimizer = SGD(learning_rate=ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        optimizer.learning_rate = 0.01


def test_a_number_learning_rate_can_be_replaced_by_a_schedule():
    optimizer = SGD(learning_rate=0.1)
    optimizer.learning_rate = ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    assert [v.name for v in optimizer.variables] == ["iteration"]
    assert sgd_steps(optimizer, 2) == pytest.approx([1.0, 0.5])


@pytest.mark.parametrize("bad", [lambda: 0.1, True, "fast"])
def test_a_learning_rate_must_be_a_number_or_a_schedule(bad):
    with pytest.raises((TypeError, ValueError)):
        SGD(learning_rate=bad)


# ----- variables and iterations ------------------------------------------------------------

def test_slots_are_built_lazily_on_the_first_apply():
    optimizer = Adam()
    kernel, bias = variable(np.ones((3, 2)), "kernel"), variable(np.ones(2), "bias")
    assert not optimizer.built
    assert [v.name for v in optimizer.variables] == ["iteration", "learning_rate"]
    optimizer.apply([torch.ones(3, 2), torch.ones(2)], [kernel, bias])
    assert optimizer.built
    assert len(optimizer.variables) == 6


@pytest.mark.parametrize("optimizer, slot_names", [
    (Adam(amsgrad=True, name="adam"),
     ["kernel_momentum", "kernel_velocity", "bias_momentum", "bias_velocity",
      "kernel_velocity_hat", "bias_velocity_hat"]),
    (RMSprop(momentum=0.5, centered=True, name="rmsprop"),
     ["kernel_velocity", "bias_velocity", "kernel_momentum", "bias_momentum",
      "kernel_average_gradient", "bias_average_gradient"]),
    (SGD(momentum=0.9, name="sgd"), ["kernel_momentum", "bias_momentum"]),
    (SGD(name="sgd"), []),
], ids=["adam", "rmsprop", "sgd_momentum", "sgd"])
def test_variables_are_ordered_and_named_as_in_keras(optimizer, slot_names):
    kernel = Variable(torch.ones(3, 2, dtype=torch.float64), name="kernel")
    bias = Variable(torch.ones(2, dtype=torch.float64), name="bias")
    optimizer.build([kernel, bias])
    names = ["iteration", "learning_rate"] + slot_names
    assert [v.path for v in optimizer.variables] == [f"{optimizer.name}/{n}" for n in names]
    for slot in optimizer.variables[2:]:
        reference = kernel if slot.name.startswith("kernel") else bias
        assert not slot.trainable and not slot.requires_grad
        assert slot.shape == reference.shape
        assert slot.dtype == reference.dtype and slot.device == reference.device


def test_iterations_is_an_int64_counter():
    optimizer = SGD()
    assert optimizer.iterations.dtype == torch.int64
    assert not optimizer.iterations.trainable
    w = variable([1.0])
    for _ in range(3):
        optimizer.apply([grad([1.0])], [w])
    assert int(optimizer.iterations) == 3
    assert optimizer.apply_gradients([(grad([1.0]), w)]) is optimizer.iterations
    assert int(optimizer.iterations) == 4


def test_adam_bias_correction_uses_an_assigned_iteration_count():
    # At t = 1 Adam's first step is lr * sign(g); at a large t the correction is ~1,
    # so the step is lr * (1 - beta_1) * g / (sqrt(1 - beta_2) * |g|) = lr * 0.1 / 0.0316.
    optimizer = Adam(learning_rate=0.1, epsilon=0.0)
    w = variable([0.0])
    optimizer.build([w])
    optimizer.iterations.assign(100_000)
    optimizer.apply([grad([2.0])], [w])
    assert value(w) == pytest.approx(-0.1 * 0.1 / np.sqrt(0.001), rel=1e-4)


def test_apply_without_variables_uses_the_built_ones():
    optimizer = SGD(learning_rate=0.5)
    w = variable([1.0])
    with pytest.raises(ValueError, match="not built"):
        optimizer.apply([grad([1.0])])
    optimizer.build([w])
    optimizer.apply([grad([1.0])])
    assert value(w) == 0.5


def test_unknown_variables_are_rejected():
    optimizer = SGD()
    optimizer.apply([grad([1.0])], [variable([1.0])])
    with pytest.raises(ValueError, match="Unknown variable"):
        optimizer.apply([grad([1.0])], [variable([1.0])])


# ----- what gets skipped -------------------------------------------------------------------

def test_none_gradients_and_frozen_variables_are_skipped():
    optimizer = Adam(learning_rate=0.1)
    updated, no_grad, frozen = variable([1.0]), variable([1.0]), variable([1.0], trainable=False)
    optimizer.apply([grad([1.0]), None, grad([1.0])], [updated, no_grad, frozen])
    assert value(updated) == pytest.approx(0.9)
    assert value(no_grad) == value(frozen) == 1.0
    frozen.trainable = True  # unfrozen later: its slots already exist
    optimizer.apply([grad([1.0]), None, grad([1.0])], [updated, no_grad, frozen])
    assert value(frozen) < 1.0


def test_all_none_gradients_is_an_error():
    with pytest.raises(ValueError, match="No gradients"):
        SGD().apply([None], [variable([1.0])])


# ----- clipping ----------------------------------------------------------------------------

def test_clipnorm_rescales_each_long_gradient_separately():
    optimizer = SGD(learning_rate=1.0, clipnorm=1.0)
    long, short = variable([0.0, 0.0]), variable([0.0, 0.0])
    long_grad, short_grad = grad([3.0, 4.0]), grad([0.3, 0.4])
    optimizer.apply([long_grad, short_grad], [long, short])
    np.testing.assert_allclose(long.numpy(), [-0.6, -0.8], rtol=1e-6)
    np.testing.assert_allclose(short.numpy(), [-0.3, -0.4], rtol=1e-6)
    assert long_grad.tolist() == [3.0, 4.0]  # the caller's gradients are left alone


def test_global_clipnorm_rescales_all_gradients_together():
    optimizer = SGD(learning_rate=1.0, global_clipnorm=1.0)
    first, second = variable([0.0]), variable([0.0])
    optimizer.apply([grad([3.0]), grad([4.0])], [first, second])  # global norm 5
    assert [value(first), value(second)] == pytest.approx([-0.6, -0.8])
    optimizer.apply([grad([0.3]), grad([0.4])], [first, second])  # norm 0.5: unchanged
    assert [value(first), value(second)] == pytest.approx([-0.9, -1.2])


def test_clipvalue_clips_each_entry():
    optimizer = SGD(learning_rate=1.0, clipvalue=0.5)
    w = variable([0.0, 0.0, 0.0])
    optimizer.apply([grad([2.0, -3.0, 0.1])], [w])
    np.testing.assert_allclose(w.numpy(), [-0.5, 0.5, -0.1], rtol=1e-6)


def test_only_one_clipping_option_at_a_time():
    with pytest.raises(ValueError, match="Only one of"):
        SGD(clipnorm=1.0, clipvalue=1.0)


# ----- weight decay ------------------------------------------------------------------------

def test_weight_decay_shrinks_weights_by_lr_times_decay():
    optimizer = SGD(learning_rate=0.5, weight_decay=0.1)
    w = variable([2.0, -4.0])
    optimizer.apply([grad([0.0, 0.0])], [w])
    np.testing.assert_allclose(w.numpy(), [2.0 * 0.95, -4.0 * 0.95], rtol=1e-6)


def test_weight_decay_happens_before_the_gradient_step():
    # Keras: w <- w * (1 - lr * wd), then w <- w - lr * g (the gradient is not decayed).
    optimizer = SGD(learning_rate=0.5, weight_decay=0.1)
    w = variable([2.0])
    optimizer.apply([grad([1.0])], [w])
    assert value(w) == pytest.approx(2.0 * 0.95 - 0.5)


def test_adamw_decays_with_the_scheduled_learning_rate():
    schedule = ExponentialDecay(0.5, decay_steps=1, decay_rate=0.5)
    optimizer = AdamW(learning_rate=schedule, weight_decay=0.2)
    w = variable([1.0])
    optimizer.apply([grad([0.0])], [w])  # zero gradient: only the decay moves w
    optimizer.apply([grad([0.0])], [w])
    assert value(w) == pytest.approx((1 - 0.5 * 0.2) * (1 - 0.25 * 0.2))


def test_exclude_from_weight_decay():
    optimizer = AdamW(learning_rate=0.5, weight_decay=0.1)
    kernel, bias, other = variable([1.0], "kernel"), variable([1.0], "bias"), variable([1.0])
    optimizer.exclude_from_weight_decay(var_list=[other], var_names=["bias"])
    optimizer.apply([grad([0.0])] * 3, [kernel, bias, other])
    assert value(kernel) == pytest.approx(0.95)
    assert value(bias) == value(other) == 1.0
    with pytest.raises(ValueError, match="before the optimizer is built"):
        optimizer.exclude_from_weight_decay(var_names=["kernel"])


# ----- the normal path ---------------------------------------------------------------------

def test_a_training_loop_raises_no_warnings_and_learns():
    torch.manual_seed(0)
    inputs = torch.randn(64, 3)
    targets = inputs @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    kernel = Variable(torch.zeros(3, 1), name="kernel")
    bias = Variable(torch.zeros(1), name="bias")
    optimizer = Adam(learning_rate=ExponentialDecay(0.1, 50, 0.5), global_clipnorm=10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(200):
            loss = ((inputs @ kernel + bias - targets) ** 2).mean()
            grads = torch.autograd.grad(loss, [kernel, bias])
            optimizer.apply(grads, [kernel, bias])  # apply works without torch.no_grad too
    assert loss.item() < 1e-3


def test_plain_torch_parameters_can_be_optimized_too():
    layer = torch.nn.Linear(3, 1)
    before = [p.detach().clone() for p in layer.parameters()]
    loss = layer(torch.ones(2, 3)).sum()
    grads = torch.autograd.grad(loss, list(layer.parameters()))
    RMSprop(learning_rate=0.1, momentum=0.5).apply(grads, layer.parameters())
    for param, old in zip(layer.parameters(), before, strict=True):
        assert not torch.equal(param, old)


def test_a_subclass_only_needs_update_step():
    class GradientDescent(Optimizer):
        def update_step(self, gradient, variable, learning_rate):
            variable.add_(gradient, alpha=-learning_rate)

    w = variable([1.0])
    GradientDescent(learning_rate=0.25).apply([grad([1.0])], [w])
    assert value(w) == 0.75
    with pytest.raises(NotImplementedError, match="update_step"):
        Optimizer(learning_rate=0.1).apply([grad([1.0])], [w])


def test_a_keras_style_custom_optimizer_runs():
    # The shape of the custom optimizer in Keras's `Optimizer` docstring.
    class MomentumSGD(Optimizer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.momentum = 0.5

        def build(self, variables):
            super().build(variables)
            self.momentums = [self.add_variable_from_reference(reference_variable=v,
                                                               name="momentum")
                              for v in variables]

        def update_step(self, gradient, variable, learning_rate):
            m = self.momentums[self._get_variable_index(variable)]
            self.assign(m, m * self.momentum - gradient * learning_rate)
            self.assign_add(variable, m)

    optimizer = MomentumSGD(learning_rate=0.1)
    w = variable([1.0])
    for _ in range(2):
        optimizer.apply([grad([1.0])], [w])
    assert value(w) == pytest.approx(1.0 - 0.1 - 0.15)
    optimizer.assign_sub(w, 0.25)
    assert value(w) == pytest.approx(0.5)
