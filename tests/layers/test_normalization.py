"""BatchNormalization, LayerNormalization and GroupNormalization against PyTorch."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import minilib as keras
from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_layer_matches_torch, random_floats


def _set_random_weights(layer, seed=1):
    """Weights away from the initial ones and zeros, so that a swapped weight shows."""
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32")
                       for w in layer.get_weights()])


# ------------------------------------------------------------------ BatchNormalization
def test_batch_norm_contract_and_weight_order():
    layer = run_layer_test(layers.BatchNormalization, {}, (4, 3), (4, 3),
                           expected_num_weights=4, expected_num_trainable=2)
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean",
                                               "moving_variance"]
    run_layer_test(layers.BatchNormalization, {"axis": 1, "center": False}, (2, 3, 4, 4),
                   (2, 3, 4, 4), expected_num_weights=3)


def test_batch_norm_training_matches_torch_values_and_gradients():
    x = random_floats(8, 5, 5, 3)
    bn = layers.BatchNormalization()
    bn(x)  # builds the weights
    _set_random_weights(bn)

    def reference(t, gamma, beta, moving_mean, moving_variance):  # training: batch statistics
        return F.batch_norm(t.movedim(-1, 1), None, None, gamma, beta, training=True,
                            eps=1e-3).movedim(1, -1)

    assert_layer_matches_torch(bn, x, reference, call=lambda bn, t: bn(t, training=True))


def test_batch_norm_inference_uses_moving_statistics_like_torch_eval():
    x = random_floats(6, 4)
    bn = layers.BatchNormalization(axis=-1)
    bn(x)  # builds the weights
    _set_random_weights(bn)

    def reference(t, gamma, beta, moving_mean, moving_variance):
        return F.batch_norm(t, moving_mean, moving_variance, gamma, beta, training=False,
                            eps=1e-3)

    assert_layer_matches_torch(bn, x, reference, call=lambda bn, t: bn(t, training=False))


def test_batch_norm_channels_first_axis_matches_torch():
    bn = layers.BatchNormalization(axis=1, epsilon=1e-5)
    assert_layer_matches_torch(
        bn, random_floats(4, 3, 5, 5),
        lambda t, gamma, beta, *moving: F.batch_norm(t, None, None, gamma, beta, training=True,
                                                     eps=1e-5),
        call=lambda bn, t: bn(t, training=True))


def test_moving_statistics_follow_keras_rule_with_biased_variance():
    batches = [random_floats(16, 3, seed=s) * (s + 1) + s for s in range(5)]
    bn = layers.BatchNormalization(momentum=0.9)
    torch_bn = torch.nn.BatchNorm1d(3, momentum=0.1)  # torch's momentum is 1 - Keras's
    mean, variance = np.zeros(3), np.ones(3)
    for batch in batches:
        bn(batch, training=True)
        torch_bn(torch.tensor(batch))
        mean = 0.9 * mean + 0.1 * batch.mean(0)
        variance = 0.9 * variance + 0.1 * batch.var(0)  # ddof=0: the biased variance
    np.testing.assert_allclose(bn.moving_mean.numpy(), mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), variance, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), torch_bn.running_mean, rtol=1e-5)
    assert not np.allclose(bn.moving_variance.numpy(), torch_bn.running_var.numpy())


def _bn_model(seed=0):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3),
                              layers.BatchNormalization(momentum=0.5)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_moving_statistics_update_in_fit_and_not_in_evaluate_or_predict():
    x, y = random_floats(32, 4), random_floats(32, 3)
    model = _bn_model()
    bn = model.layers[-1]
    mean, variance = np.zeros(3), np.ones(3)
    for step in range(4):
        batch = x[8 * step:8 * step + 8]
        hidden = model.layers[0](batch).detach().numpy()  # the Dense output BN will see
        mean = 0.5 * mean + 0.5 * hidden.mean(0)
        variance = 0.5 * variance + 0.5 * hidden.var(0)
        model.fit(batch, y[8 * step:8 * step + 8], batch_size=8, epochs=1, verbose=0)
    np.testing.assert_allclose(bn.moving_mean.numpy(), mean, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), variance, rtol=1e-4, atol=1e-6)
    before = [w.copy() for w in bn.get_weights()]
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    for old, new in zip(before, bn.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_frozen_batch_norm_runs_in_inference_mode():
    x = random_floats(8, 3)
    bn = layers.BatchNormalization()
    bn(x)  # builds the weights
    _set_random_weights(bn)
    bn.trainable = False
    before = bn.get_weights()
    np.testing.assert_allclose(bn(x, training=True).numpy(), bn(x, training=False).numpy())
    for old, new in zip(before, bn.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)
    assert bn.trainable_weights == []


def test_masked_steps_are_left_out_of_the_batch_statistics():
    x = random_floats(2, 5, 3)
    mask = torch.tensor([[True, True, True, False, False], [True, True, False, False, False]])
    bn = layers.BatchNormalization(momentum=0.0)
    bn(torch.tensor(x), training=True, mask=mask)
    real = x[mask.numpy()]
    np.testing.assert_allclose(bn.moving_mean.numpy(), real.mean(0), rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), real.var(0), rtol=1e-4)


def test_batch_norm_errors_name_the_layer():
    with pytest.raises(ValueError, match="'bn'.*axis 3"):
        layers.BatchNormalization(axis=3, name="bn")(random_floats(2, 3))
    with pytest.raises(ValueError, match="synchronized"):
        layers.BatchNormalization(synchronized=True)


# ------------------------------------------------------------------ LayerNormalization
@pytest.mark.parametrize("shape, axis", [((4, 6), -1), ((2, 3, 5), [-2, -1]), ((2, 3, 4), 2)])
def test_layer_norm_matches_torch(shape, axis):
    x = random_floats(*shape)
    ln = layers.LayerNormalization(axis=axis)
    ln(x)  # builds the weights
    _set_random_weights(ln)
    assert_layer_matches_torch(
        ln, x, lambda t, gamma, beta: F.layer_norm(t, gamma.shape, gamma, beta, eps=1e-3))


def test_layer_norm_contract_and_rms_scaling():
    run_layer_test(layers.LayerNormalization, {"axis": [1, 2]}, (2, 3, 4), (2, 3, 4),
                   expected_num_weights=2)
    ln = layers.LayerNormalization(rms_scaling=True)
    assert_layer_matches_torch(
        ln, random_floats(3, 5),
        lambda t, gamma: gamma * t * torch.rsqrt(t.var(-1, correction=0, keepdim=True) + 1e-3))
    assert [w.name for w in ln.weights] == ["gamma"]


# ------------------------------------------------------------------ GroupNormalization
@pytest.mark.parametrize("groups, shape", [(2, (3, 5, 5, 4)), (-1, (2, 7, 6)), (1, (4, 6))])
def test_group_norm_matches_torch(groups, shape):
    x = random_floats(*shape)
    gn = layers.GroupNormalization(groups=groups)
    gn(x)  # builds the weights
    _set_random_weights(gn)
    torch_groups = shape[-1] if groups == -1 else groups
    assert_layer_matches_torch(
        gn, x, lambda t, gamma, beta: F.group_norm(t.movedim(-1, 1), torch_groups, gamma, beta,
                                                   eps=1e-3).movedim(1, -1))


def test_group_norm_contract_and_bad_groups():
    run_layer_test(layers.GroupNormalization, {"groups": 2}, (2, 3, 4), (2, 3, 4),
                   expected_num_weights=2)
    with pytest.raises(ValueError, match="'gn'.*multiple of groups=3"):
        layers.GroupNormalization(groups=3, name="gn")(random_floats(2, 4))


# ------------------------------------------------------------------ a guide-style model
def test_sequential_with_batch_norm_and_dropout_learns_digits():
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data.astype("float32") / 16.0, digits.target, test_size=0.25, random_state=0)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        layers.Dense(64, activation="relu"),
        layers.BatchNormalization(),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=5, verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy > 0.9
    assert not np.allclose(model.layers[1].moving_mean.numpy(), 0)
