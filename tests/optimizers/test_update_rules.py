"""Each optimizer's trajectory against torch.optim and against Keras's rule written in NumPy.

The problem: two variables (a 3x4 matrix and a 4-vector) on a smooth loss whose
gradient is `gradient(params)` below. Everything runs in float64 so that "the
same rule" shows up as agreement to ~1e-12, not just to float32 noise.

Where Keras and torch.optim place epsilon differently (Adam, RMSprop, Adagrad),
the torch comparison sets epsilon to 0 (then the rules are identical), and a
separate test bounds the difference at the default epsilon.
"""

import numpy as np
import pytest
import torch

from minilib.backend import Variable
from minilib.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop

STEPS = 12
RNG = np.random.default_rng(0)
INITIAL = [RNG.normal(size=(3, 4)), RNG.normal(size=(4,))]
CURVATURE = [RNG.uniform(0.5, 3.0, size=(3, 4)), RNG.uniform(0.5, 3.0, size=(4,))]
TARGET = [RNG.normal(size=(3, 4)), RNG.normal(size=(4,))]


def gradient(params):
    """Gradient of sum(0.5 * c * (w - target)**2 - 0.3 * cos(w)): quadratic plus a wiggle."""
    return [c * (w - t) + 0.3 * np.sin(w)
            for w, c, t in zip(params, CURVATURE, TARGET, strict=True)]


def minilib_trajectory(optimizer, dtype="float64"):
    # Copies, because a Variable made from a NumPy array may share its memory.
    variables = [Variable(w.copy(), dtype=dtype, name=name)
                 for w, name in zip(INITIAL, ["w", "b"], strict=True)]
    trajectory = []
    for _ in range(STEPS):
        grads = gradient([v.numpy().astype(np.float64) for v in variables])
        optimizer.apply([torch.tensor(g, dtype=variables[0].dtype) for g in grads], variables)
        trajectory.append([v.numpy().copy() for v in variables])  # numpy() shares memory
    return trajectory


def torch_trajectory(make_optimizer):
    params = [torch.nn.Parameter(torch.tensor(w)) for w in INITIAL]
    optimizer = make_optimizer(params)
    trajectory = []
    for _ in range(STEPS):
        grads = gradient([p.detach().numpy() for p in params])
        for param, grad in zip(params, grads, strict=True):
            param.grad = torch.from_numpy(grad)
        optimizer.step()
        trajectory.append([p.detach().numpy().copy() for p in params])
    return trajectory


def max_difference(first, second):
    return max(np.abs(a - b).max() for step_a, step_b in zip(first, second, strict=True)
               for a, b in zip(step_a, step_b, strict=True))


# ----- Keras's update rules, written out independently in NumPy ---------------------------

def numpy_trajectory(update):
    """Run `update(t, w, g, state)` (which changes `w` and `state` in place)."""
    params = [w.copy() for w in INITIAL]
    states = [{} for _ in params]
    trajectory = []
    for t in range(1, STEPS + 1):
        for index, (w, g) in enumerate(zip(params, gradient(params), strict=True)):
            update(t, w, g, states[index])
        trajectory.append([w.copy() for w in params])
    return trajectory


def keras_sgd(lr, momentum=0.0, nesterov=False):
    def update(t, w, g, state):
        if momentum == 0:
            w -= lr * g
            return
        m = state.setdefault("m", np.zeros_like(w))
        m[...] = momentum * m - lr * g
        w += momentum * m - lr * g if nesterov else m
    return update


def keras_rmsprop(lr, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    def update(t, w, g, state):
        v = state.setdefault("v", np.zeros_like(w))
        v[...] = rho * v + (1 - rho) * g**2
        if centered:
            a = state.setdefault("a", np.zeros_like(w))
            a[...] = rho * a + (1 - rho) * g
            increment = lr * g / np.sqrt(v - a**2 + epsilon)
        else:
            increment = lr * g / np.sqrt(v + epsilon)
        if momentum > 0:
            mom = state.setdefault("mom", np.zeros_like(w))
            mom[...] = momentum * mom + increment
            w -= mom
        else:
            w -= increment
    return update


def keras_adagrad(lr, initial_accumulator_value=0.1, epsilon=1e-7):
    def update(t, w, g, state):
        accumulator = state.setdefault("acc", np.full_like(w, initial_accumulator_value))
        accumulator += g**2
        w -= lr * g / np.sqrt(accumulator + epsilon)
    return update


def keras_adam(lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, weight_decay=None):
    def update(t, w, g, state):
        if weight_decay:
            w -= w * weight_decay * lr
        m = state.setdefault("m", np.zeros_like(w))
        v = state.setdefault("v", np.zeros_like(w))
        m += (g - m) * (1 - beta_1)
        v += (g**2 - v) * (1 - beta_2)
        if amsgrad:
            v_hat = state.setdefault("v_hat", np.zeros_like(w))
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w -= m * alpha / (np.sqrt(v) + epsilon)
    return update


# (minilib optimizer, torch.optim optimizer with the same rule, Keras rule in NumPy)
SAME_RULE_AS_TORCH = {
    "sgd": (lambda: SGD(0.1),
            lambda p: torch.optim.SGD(p, lr=0.1),
            keras_sgd(0.1)),
    "sgd_momentum": (lambda: SGD(0.05, momentum=0.9),
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
                     keras_sgd(0.05, momentum=0.9)),
    "sgd_nesterov": (lambda: SGD(0.05, momentum=0.9, nesterov=True),
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
                     keras_sgd(0.05, momentum=0.9, nesterov=True)),
    "rmsprop": (lambda: RMSprop(0.01, rho=0.8, epsilon=0.0),
                lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.8, eps=0.0),
                keras_rmsprop(0.01, rho=0.8, epsilon=0.0)),
    "rmsprop_momentum": (lambda: RMSprop(0.01, momentum=0.5, epsilon=0.0),
                         lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.5,
                                                       eps=0.0),
                         keras_rmsprop(0.01, momentum=0.5, epsilon=0.0)),
    "rmsprop_centered": (lambda: RMSprop(0.01, momentum=0.5, centered=True, epsilon=0.0),
                         lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.5,
                                                       centered=True, eps=0.0),
                         keras_rmsprop(0.01, momentum=0.5, centered=True, epsilon=0.0)),
    "adagrad": (lambda: Adagrad(0.1, epsilon=0.0),
                lambda p: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=0.0),
                keras_adagrad(0.1, epsilon=0.0)),
    "adam": (lambda: Adam(0.05, epsilon=0.0),
             lambda p: torch.optim.Adam(p, lr=0.05, eps=0.0),
             keras_adam(0.05, epsilon=0.0)),
    "adam_amsgrad": (lambda: Adam(0.05, beta_2=0.9, epsilon=0.0, amsgrad=True),
                     lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.9, 0.9), eps=0.0,
                                                amsgrad=True),
                     keras_adam(0.05, beta_2=0.9, epsilon=0.0, amsgrad=True)),
    "adamw": (lambda: AdamW(0.05, weight_decay=0.1, epsilon=0.0),
              lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1, eps=0.0),
              keras_adam(0.05, epsilon=0.0, weight_decay=0.1)),
}


@pytest.mark.parametrize("case", sorted(SAME_RULE_AS_TORCH))
def test_matches_torch_optim_when_the_rules_coincide(case):
    make_minilib, make_torch, _ = SAME_RULE_AS_TORCH[case]
    ours = minilib_trajectory(make_minilib())
    assert max_difference(ours, torch_trajectory(make_torch)) < 1e-12
    assert max_difference(ours, [INITIAL] * STEPS) > 0.01  # the variables really moved


@pytest.mark.parametrize("case", sorted(SAME_RULE_AS_TORCH))
def test_matches_keras_rule_in_numpy(case):
    make_minilib, _, keras_update = SAME_RULE_AS_TORCH[case]
    assert max_difference(minilib_trajectory(make_minilib()),
                          numpy_trajectory(keras_update)) < 1e-12


KERAS_DEFAULT_EPSILON = {
    "adam": (lambda: Adam(0.05), keras_adam(0.05)),
    "adam_amsgrad": (lambda: Adam(0.05, amsgrad=True), keras_adam(0.05, amsgrad=True)),
    "adamw": (lambda: AdamW(0.05), keras_adam(0.05, weight_decay=0.004)),
    "rmsprop": (lambda: RMSprop(0.01), keras_rmsprop(0.01)),
    "rmsprop_centered": (lambda: RMSprop(0.01, centered=True),
                         keras_rmsprop(0.01, centered=True)),
    "adagrad": (lambda: Adagrad(0.1), keras_adagrad(0.1)),
    "adagrad_big_epsilon": (lambda: Adagrad(0.1, initial_accumulator_value=0.0, epsilon=0.5),
                            keras_adagrad(0.1, initial_accumulator_value=0.0, epsilon=0.5)),
}


@pytest.mark.parametrize("case", sorted(KERAS_DEFAULT_EPSILON))
def test_default_epsilon_follows_keras(case):
    make_minilib, keras_update = KERAS_DEFAULT_EPSILON[case]
    assert max_difference(minilib_trajectory(make_minilib()),
                          numpy_trajectory(keras_update)) < 1e-12


@pytest.mark.parametrize("minilib_cls, torch_cls, lr, torch_settings", [
    (Adam, torch.optim.Adam, 0.05, {}),
    (Adagrad, torch.optim.Adagrad, 0.1, {"initial_accumulator_value": 0.1}),
    (RMSprop, torch.optim.RMSprop, 0.01, {"alpha": 0.9}),
])
def test_epsilon_placement_differs_from_torch_by_a_bounded_amount(
    minilib_cls, torch_cls, lr, torch_settings
):
    # Keras: Adam divides by (sqrt(v) + eps) *before* bias correction, which makes its
    # effective epsilon eps / sqrt(1 - beta_2**t) (31x larger at t=1); Adagrad and
    # RMSprop take sqrt(accumulator + eps). torch adds eps after the square root.
    # Over the whole run the trajectories then differ by under a thousandth of lr.
    ours = minilib_trajectory(minilib_cls(lr, epsilon=1e-7))
    theirs = torch_trajectory(lambda p: torch_cls(p, lr=lr, eps=1e-7, **torch_settings))
    assert 0 < max_difference(ours, theirs) < 1e-3 * lr


def test_float32_variables_track_the_float64_rule():
    ours = minilib_trajectory(Adam(0.05, amsgrad=True), dtype="float32")
    reference = numpy_trajectory(keras_adam(0.05, amsgrad=True))
    assert max_difference(ours, reference) < 1e-5


def test_adam_on_an_mlp_matches_torch_optim_adam():
    torch.manual_seed(0)
    inputs, targets = torch.randn(32, 8), torch.randn(32, 2)
    shapes = [(8, 16), (16,), (16, 2), (2,)]
    initial = [torch.randn(shape) * 0.5 for shape in shapes]

    def loss_of(w1, b1, w2, b2):
        return ((torch.tanh(inputs @ w1 + b1) @ w2 + b2 - targets) ** 2).mean()

    variables = [Variable(value.clone(), name=f"v{i}") for i, value in enumerate(initial)]
    params = [torch.nn.Parameter(value.clone()) for value in initial]
    ours, theirs = Adam(learning_rate=0.01), torch.optim.Adam(params, lr=0.01, eps=1e-7)
    losses = []
    for _ in range(25):
        loss = loss_of(*variables)
        grads = torch.autograd.grad(loss, variables)
        with torch.no_grad():
            ours.apply(grads, variables)
        theirs.zero_grad()
        loss_of(*params).backward()
        theirs.step()
        losses.append(loss.item())
    assert losses[-1] < 0.7 * losses[0]
    for variable, param in zip(variables, params, strict=True):
        # float32 rounding plus the epsilon placement (see above): well below lr.
        torch.testing.assert_close(variable.detach(), param.detach(), atol=1e-4, rtol=0)
