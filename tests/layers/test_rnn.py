"""Recurrent layers against torch.nn.LSTM / GRU / RNN with converted weights, plus masking."""

import numpy as np
import pytest
import torch

import minilib
from minilib import layers
from tests.helpers.layer_test import run_layer_test
from tests.helpers.torch_oracle import assert_layer_matches_torch, random_floats

BATCH, STEPS, FEATURES, UNITS = 3, 5, 4, 6
X = random_floats(BATCH, STEPS, FEATURES, low=-1, high=1)


def keras_to_torch_gru(weight):
    """Keras's z, r, h blocks -> torch's r, z, n."""
    z, r, h = weight.split(UNITS, dim=-1)
    return torch.cat([r, z, h], dim=-1)


def torch_params(kind, kernel, recurrent_kernel, bias, suffix=""):
    """nn.LSTM / nn.GRU / nn.RNN parameters holding the same numbers as Keras's weights."""
    if kind == "GRU":
        kernel, recurrent_kernel = keras_to_torch_gru(kernel), keras_to_torch_gru(recurrent_kernel)
        input_bias, recurrent_bias = keras_to_torch_gru(bias[0]), keras_to_torch_gru(bias[1])
    else:
        input_bias, recurrent_bias = bias, torch.zeros_like(bias)
    return {f"weight_ih_l0{suffix}": kernel.T, f"weight_hh_l0{suffix}": recurrent_kernel.T,
            f"bias_ih_l0{suffix}": input_bias, f"bias_hh_l0{suffix}": recurrent_bias}


TORCH_MODULES = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU, "SimpleRNN": torch.nn.RNN}


def torch_reference(kind, return_sequences=False, go_backwards=False):
    module = TORCH_MODULES[kind](FEATURES, UNITS, batch_first=True)

    def run(x, kernel, recurrent_kernel, bias):
        x = x.flip(1) if go_backwards else x
        params = torch_params(kind, kernel, recurrent_kernel, bias)
        outputs, _ = torch.func.functional_call(module, params, (x,))
        return outputs if return_sequences else outputs[:, -1]
    return run


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("return_sequences, go_backwards", [(False, False), (True, True)])
@pytest.mark.parametrize("path", ["fused", "step loop"])
def test_matches_torch_values_and_gradients(kind, return_sequences, go_backwards, path):
    layer = getattr(layers, kind)(UNITS, return_sequences=return_sequences,
                                  go_backwards=go_backwards, bias_initializer="random_normal")
    # An all-True mask changes nothing but sends the layer through its Python step loop.
    kwargs = {"mask": torch.ones(BATCH, STEPS, dtype=torch.bool)} if path == "step loop" else {}
    assert_layer_matches_torch(layer, X, torch_reference(kind, return_sequences, go_backwards),
                               call=lambda layer, x: layer(x, **kwargs))


def test_lstm_return_state_and_initial_state_match_torch():
    layer = layers.LSTM(UNITS, return_sequences=True, return_state=True)
    h0, c0 = random_floats(BATCH, UNITS, seed=1), random_floats(BATCH, UNITS, seed=2)
    module = torch.nn.LSTM(FEATURES, UNITS, batch_first=True)

    def reference(x, h, c, *weights):
        outputs, (h, c) = torch.func.functional_call(
            module, torch_params("LSTM", *weights), (x, (h[None], c[None])))
        return outputs, h[0], c[0]

    assert_layer_matches_torch(layer, (X, h0, c0), reference,
                               call=lambda layer, x, h, c: layer(x, initial_state=[h, c]))
    output, h, c = layer(X)
    assert output.shape == (BATCH, STEPS, UNITS) and h.shape == c.shape == (BATCH, UNITS)


@pytest.mark.parametrize("cls, num_weights", [(layers.LSTM, 3), (layers.GRU, 3),
                                              (layers.SimpleRNN, 3)])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_layer_contract(cls, num_weights, return_sequences):
    expected = (BATCH, STEPS, UNITS) if return_sequences else (BATCH, UNITS)
    run_layer_test(cls, {"units": UNITS, "return_sequences": return_sequences},
                   input_shape=(BATCH, STEPS, FEATURES), expected_output_shape=expected,
                   expected_num_weights=num_weights)


def test_weights_have_keras_layouts_and_initial_values():
    lstm, gru = layers.LSTM(UNITS), layers.GRU(UNITS)
    lstm(X), gru(X)
    kernel, recurrent, bias = lstm.get_weights()
    assert kernel.shape == (FEATURES, 4 * UNITS) and recurrent.shape == (UNITS, 4 * UNITS)
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(UNITS), atol=1e-5)  # orthogonal
    np.testing.assert_array_equal(bias, np.r_[np.zeros(UNITS), np.ones(UNITS),
                                              np.zeros(2 * UNITS)])  # unit_forget_bias
    assert [w.shape for w in gru.get_weights()] == [(FEATURES, 3 * UNITS), (UNITS, 3 * UNITS),
                                                    (2, 3 * UNITS)]
    assert layers.GRU(UNITS, reset_after=False)(X) is not None


def test_gru_reset_before_matches_its_equations():
    layer = layers.GRU(UNITS, reset_after=False, bias_initializer="random_normal")
    layer(X)
    kernel, recurrent, bias = (torch.as_tensor(w) for w in layer.get_weights())
    h = torch.zeros(BATCH, UNITS)
    for t in range(STEPS):
        x_z, x_r, x_h = (torch.as_tensor(X[:, t]) @ kernel + bias).split(UNITS, dim=-1)
        u_z, u_r, u_h = recurrent.split(UNITS, dim=-1)
        z, r = torch.sigmoid(x_z + h @ u_z), torch.sigmoid(x_r + h @ u_r)
        h = z * h + (1 - z) * torch.tanh(x_h + (r * h) @ u_h)
    torch.testing.assert_close(layer(X), h)


def test_padding_changes_nothing_in_the_final_output():
    sequences = [[4, 2, 7], [5, 1, 3, 3, 8], [9]]
    padded = np.array([s + [0] * (5 - len(s)) for s in sequences])
    embedding = layers.Embedding(10, 4, mask_zero=True)
    lstm = layers.LSTM(UNITS, return_sequences=True)
    all_steps = lstm(embedding(padded))
    assert all_steps._keras_mask is not None
    for row, sequence in enumerate(sequences):
        alone = lstm(embedding(np.array([sequence])))[0]
        n = len(sequence)
        torch.testing.assert_close(all_steps[row, :n], alone)
        # Keras 3: a padded step repeats the previous output.
        torch.testing.assert_close(all_steps[row, n:], alone[-1].expand(5 - n, UNITS))
    final = layers.LSTM(UNITS, go_backwards=True)
    final.build((None, 5, 4))
    for row, sequence in enumerate(sequences):
        torch.testing.assert_close(final(embedding(padded[row:row + 1]))[0],
                                   final(embedding(np.array([sequence])))[0])


def test_masking_layer_skips_steps_that_equal_mask_value():
    x = X.copy()
    x[:, 3:] = -1.0
    lstm = layers.LSTM(UNITS)
    masked = lstm(layers.Masking(mask_value=-1.0)(x))
    torch.testing.assert_close(masked, lstm(X[:, :3]))
    assert layers.Masking.from_config(layers.Masking(2.0).get_config()).mask_value == 2.0


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("path", ["fused", "step loop"])
def test_stateful_layer_fed_chunks_equals_torch_over_the_whole_sequence(kind, path):
    layer = getattr(layers, kind)(UNITS, stateful=True, return_sequences=True,
                                  bias_initializer="random_normal")
    long_x = torch.as_tensor(random_floats(BATCH, 3 * STEPS, FEATURES, low=-1, high=1))
    kwargs = {"mask": torch.ones(BATCH, STEPS, dtype=torch.bool)} if path == "step loop" else {}
    chunks = [layer(chunk, **kwargs) for chunk in long_x.split(STEPS, dim=1)]

    module = TORCH_MODULES[kind](FEATURES, UNITS, batch_first=True)
    weights = [torch.as_tensor(w) for w in layer.get_weights()]
    with torch.no_grad():
        expected, final = torch.func.functional_call(module, torch_params(kind, *weights),
                                                     (long_x,))
    torch.testing.assert_close(torch.cat(chunks, dim=1), expected, rtol=1e-5, atol=1e-5)
    final = final if kind == "LSTM" else (final,)
    for stored, want in zip(layer.states, final, strict=True):
        torch.testing.assert_close(stored, want[0], rtol=1e-5, atol=1e-5)


def test_stateful_states_reset_to_zeros_and_are_not_weights():
    layer = layers.LSTM(UNITS, stateful=True, return_state=True)
    output, h, c = layer(X)
    torch.testing.assert_close(layer.states[0], h.detach())
    torch.testing.assert_close(layer.states[1], c.detach())
    assert len(layer.weights) == 3 and not layer.states[0].trainable
    assert not any(s is w for s in layer.states for w in layer.weights)
    assert not any(s.requires_grad for s in layer.states)  # no gradient into past batches
    layer.reset_state()
    assert all(not s.any() for s in layer.states)
    torch.testing.assert_close(layer(X)[0], output)  # zeros again: the same as the first call
    layer.reset_states()
    stateless = layers.LSTM(UNITS)
    stateless(X)
    assert stateless.states is None
    stateless.reset_states()  # nothing to reset, as in Keras


def test_stateful_initial_state_wins_and_the_final_states_are_stored():
    layer = layers.GRU(UNITS, stateful=True, return_state=True)
    layer(X)
    start = torch.as_tensor(random_floats(BATCH, UNITS, seed=3))
    output, h = layer(X, initial_state=start)
    stateless = layers.GRU(UNITS)
    stateless(X)
    stateless.set_weights(layer.get_weights())
    torch.testing.assert_close(output, stateless(X, initial_state=start))
    torch.testing.assert_close(layer.states[0], h.detach())


def test_stateful_training_backpropagates_within_each_batch():
    layer = layers.LSTM(UNITS, stateful=True)
    layer(X[:, :2])
    layer(X[:, 2:]).sum().backward()  # the stored states were overwritten in between
    assert all(w.grad is not None and w.grad.abs().sum() > 0 for w in layer.weights)


def test_stateful_needs_the_same_batch_size_every_time():
    layer = layers.SimpleRNN(UNITS, stateful=True, name="steady")
    layer(X)
    with pytest.raises(ValueError, match=r"'steady' is stateful.*batches of 3.*batch of 2"):
        layer(X[:2])
    inputs = minilib.Input((None, FEATURES), batch_size=BATCH)
    model = minilib.Sequential([inputs, layers.LSTM(UNITS, stateful=True), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, np.ones((BATCH, 1)), batch_size=BATCH, shuffle=False, epochs=2, verbose=0)
    assert model.layers[0].states[0].shape == (BATCH, UNITS) and model.layers[0].states[0].any()


def test_stateful_bidirectional_keeps_both_directions_states():
    layer = layers.Bidirectional(layers.LSTM(UNITS, stateful=True))
    first = layer(X)
    assert layer.stateful and len(layer.states) == 4
    assert not torch.allclose(layer(X), first)  # the second call starts from the stored states
    layer.reset_states()
    torch.testing.assert_close(layer(X), first)
    with pytest.raises(AttributeError, match="not stateful"):
        layers.Bidirectional(layers.LSTM(UNITS)).reset_state()
    config = layers.LSTM(UNITS, stateful=True).get_config()
    assert config["stateful"] and layers.LSTM.from_config(config).stateful


def test_bidirectional_matches_a_bidirectional_torch_lstm():
    layer = layers.Bidirectional(layers.LSTM(UNITS, return_sequences=True,
                                             bias_initializer="random_normal"))
    module = torch.nn.LSTM(FEATURES, UNITS, batch_first=True, bidirectional=True)

    def reference(x, *weights):  # the forward layer's three weights, then the backward's
        params = {**torch_params("LSTM", *weights[:3]),
                  **torch_params("LSTM", *weights[3:], suffix="_reverse")}
        return torch.func.functional_call(module, params, (x,))[0]

    assert_layer_matches_torch(layer, X, reference)


@pytest.mark.parametrize("merge_mode, shape", [("concat", (BATCH, 2 * UNITS)),
                                               ("sum", (BATCH, UNITS)), ("ave", (BATCH, UNITS))])
def test_bidirectional_contract(merge_mode, shape):
    layer = run_layer_test(layers.Bidirectional,
                           {"layer": layers.GRU(UNITS), "merge_mode": merge_mode},
                           input_shape=(BATCH, STEPS, FEATURES), expected_output_shape=shape,
                           expected_num_weights=6)
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards


def test_bidirectional_states_and_no_merge():
    layer = layers.Bidirectional(layers.LSTM(UNITS, return_state=True), merge_mode=None)
    outputs = layer(X)
    assert [tuple(o.shape) for o in outputs] == [(BATCH, UNITS)] * 6
    symbolic = layer(minilib.Input((STEPS, FEATURES)))
    assert [t.shape for t in symbolic] == [(None, UNITS)] * 6


def test_time_distributed_applies_dense_at_every_step():
    layer = run_layer_test(layers.TimeDistributed, {"layer": layers.Dense(3)},
                           input_shape=(BATCH, STEPS, FEATURES),
                           expected_output_shape=(BATCH, STEPS, 3), expected_num_weights=2)
    assert_layer_matches_torch(layer, X, lambda x, kernel, bias: x @ kernel + bias, atol=1e-6)


def test_dropout_uses_one_mask_per_sequence_and_only_in_training():
    layer = layers.LSTM(UNITS, dropout=0.5, recurrent_dropout=0.3, seed=1)
    inference = layer(X)
    torch.testing.assert_close(layer(X), inference)
    trained = layer(X, training=True)
    assert not torch.allclose(trained, inference)
    trained.sum().backward()
    assert all(w.grad is not None for w in layer.weights)
    gru = layers.GRU(UNITS, dropout=0.5, seed=2)  # input dropout only: still the fused path
    assert not torch.allclose(gru(X, training=True), gru(X))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="'stateless' is stateful.*fixed batch size"):
        layers.LSTM(2, stateful=True, name="stateless")(minilib.Input((STEPS, FEATURES)))
    layer = layers.GRU(UNITS, name="g")
    with pytest.raises(ValueError, match=r"'g'.*initial_state.*\(3, 6\).*\(3, 2\)"):
        layer(X, initial_state=[torch.zeros(BATCH, 2)])
    with pytest.raises(ValueError, match="'bad_cell'.*units"):
        layers.SimpleRNN(0, name="bad")


def test_config_round_trip_keeps_keras_keys():
    layer = layers.LSTM(UNITS, dropout=0.1, return_sequences=True, go_backwards=True)
    config = layer.get_config()
    assert {"units", "unit_forget_bias", "recurrent_initializer", "zero_output_for_mask",
            "return_state", "seed"} <= set(config)
    clone = layers.LSTM.from_config(config)
    assert clone.get_config() | {"name": 0} == config | {"name": 0}
    rnn = layers.RNN(layers.LSTMCell(3), return_sequences=True)
    clone = layers.RNN.from_config(rnn.get_config())
    assert isinstance(clone.cell, layers.LSTMCell) and clone(X).shape == (BATCH, STEPS, 3)


def test_functional_model_with_states_saves_and_loads(tmp_path):
    inputs = minilib.Input((STEPS, FEATURES))
    _, h, c = layers.LSTM(UNITS, return_state=True)(inputs)
    outputs = layers.GRU(2)(inputs, initial_state=layers.Dense(2)(h))
    model = minilib.Model(inputs, [outputs, c])
    expected = model.predict(X, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = minilib.saving.load_model(tmp_path / "m.keras")
    for got, want in zip(loaded.predict(X, verbose=0), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_lstm_text_classifier_learns_which_sequences_contain_token_3():
    rng = np.random.default_rng(0)
    tokens = rng.integers(1, 10, size=(1200, 8))
    tokens[tokens == 3] = 4
    has_three = rng.random(1200) < 0.5
    tokens[has_three, rng.integers(0, 8, has_three.sum())] = 3
    for row, length in enumerate(rng.integers(4, 9, 1200)):
        tokens[row, length:] = 0  # padding; a 3 may be cut off...
    labels = (tokens == 3).any(axis=1).astype("float32")  # ...so label what is left
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([
        minilib.Input((8,), dtype="int64"),
        layers.Embedding(10, 8, mask_zero=True),
        layers.LSTM(16),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=minilib.optimizers.Adam(0.01), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(tokens[:1000], labels[:1000], batch_size=32, epochs=6, verbose=0)
    _, accuracy = model.evaluate(tokens[1000:], labels[1000:], verbose=0)
    assert accuracy > 0.9
