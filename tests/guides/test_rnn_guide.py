"""Keras's guide "Working with RNNs", section by section, with `import minilib as keras`.

The guide's sizes are cut down so the tests stay fast; the numbers are checked
against PyTorch's recurrent layers or plain NumPy loops.
"""

import numpy as np
import torch

import minilib as keras
from minilib import layers, ops


def summary_lines(model):
    lines = []
    model.summary(print_fn=lines.append)
    return lines


def test_built_in_rnn_layers_a_simple_example():
    model = keras.Sequential()
    model.add(layers.Embedding(input_dim=1000, output_dim=64))
    model.add(layers.LSTM(128))
    model.add(layers.Dense(10))
    tokens = np.random.default_rng(0).integers(0, 1000, size=(2, 7))
    assert model(tokens).shape == (2, 10)
    assert [w.shape for w in model.layers[1].weights] == [(64, 512), (128, 512), (512,)]
    assert any("lstm" in line and "98,816" in line for line in summary_lines(model))


def test_outputs_and_states():
    model = keras.Sequential()
    model.add(layers.Embedding(input_dim=1000, output_dim=64))
    model.add(layers.GRU(256, return_sequences=True))  # (batch, timesteps, 256)
    model.add(layers.SimpleRNN(128))                   # (batch, 128)
    model.add(layers.Dense(10))
    tokens = np.random.default_rng(0).integers(0, 1000, size=(2, 7))
    gru_output = model.layers[1](model.layers[0](tokens))
    assert gru_output.shape == (2, 7, 256)
    assert model(tokens).shape == (2, 10)


def test_encoder_states_initialize_the_decoder():
    encoder_input = layers.Input(shape=(None,))
    encoder_embedded = layers.Embedding(input_dim=1000, output_dim=64)(encoder_input)
    output, state_h, state_c = layers.LSTM(64, return_state=True, name="encoder")(
        encoder_embedded)
    encoder_state = [state_h, state_c]
    decoder_input = layers.Input(shape=(None,))
    decoder_embedded = layers.Embedding(input_dim=2000, output_dim=64)(decoder_input)
    decoder_output = layers.LSTM(64, name="decoder")(decoder_embedded,
                                                     initial_state=encoder_state)
    output = layers.Dense(10)(decoder_output)
    model = keras.Model([encoder_input, decoder_input], output)

    rng = np.random.default_rng(1)
    source, target = rng.integers(0, 1000, (3, 5)), rng.integers(0, 2000, (3, 4))
    encoder, decoder = model.get_layer("encoder"), model.get_layer("decoder")
    embed_source, embed_target = model.layers[2], model.layers[3]
    _, h, c = encoder(embed_source(source))
    by_hand = model.layers[-1](decoder(embed_target(target), initial_state=[h, c]))
    torch.testing.assert_close(model([source, target]), by_hand)
    cold_start = model.layers[-1](decoder(embed_target(target)))
    assert not torch.allclose(by_hand, cold_start)  # the states did reach the decoder


def test_rnn_of_a_cell_equals_the_built_in_layer():
    x = np.random.default_rng(2).standard_normal((3, 6, 5)).astype("float32")
    for cell, layer in ((layers.LSTMCell(4), layers.LSTM(4)), (layers.GRUCell(4), layers.GRU(4)),
                        (layers.SimpleRNNCell(4), layers.SimpleRNN(4))):
        rnn = layers.RNN(cell)
        layer(x)
        rnn(x)
        rnn.set_weights(layer.get_weights())
        torch.testing.assert_close(rnn(x), layer(x), rtol=1e-5, atol=1e-6)


def test_cross_batch_statefulness_continues_the_sequence():
    rng = np.random.default_rng(3)
    paragraph1, paragraph2, paragraph3 = (rng.random((20, 10, 50)).astype("float32")
                                          for _ in range(3))
    lstm_layer = layers.LSTM(64, stateful=True)
    lstm_layer(paragraph1)
    lstm_layer(paragraph2)
    output = lstm_layer(paragraph3)

    oracle = torch.nn.LSTM(50, 64, batch_first=True)  # one call over the whole sequence
    kernel, recurrent_kernel, bias = lstm_layer.get_weights()
    with torch.no_grad():
        oracle.weight_ih_l0.copy_(torch.as_tensor(kernel.T))
        oracle.weight_hh_l0.copy_(torch.as_tensor(recurrent_kernel.T))
        oracle.bias_ih_l0.copy_(torch.as_tensor(bias))
        oracle.bias_hh_l0.zero_()
        whole, (h, c) = oracle(torch.as_tensor(np.concatenate(
            [paragraph1, paragraph2, paragraph3], axis=1)))
    torch.testing.assert_close(output, whole[:, -1], rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(lstm_layer.states[1], c[0], rtol=1e-5, atol=1e-6)

    lstm_layer.reset_states()  # back to zeros: the next batch starts a new sequence
    assert all(not state.any() for state in lstm_layer.states)
    fresh = layers.LSTM(64)
    fresh(paragraph1)
    fresh.set_weights(lstm_layer.get_weights())
    torch.testing.assert_close(lstm_layer(paragraph1), fresh(paragraph1))


def test_rnn_state_reuse_starts_a_new_layer_where_the_old_one_stopped():
    rng = np.random.default_rng(4)
    paragraph1, paragraph2, paragraph3 = (rng.random((20, 10, 50)).astype("float32")
                                          for _ in range(3))
    lstm_layer = layers.LSTM(64, stateful=True)
    lstm_layer(paragraph1)
    lstm_layer(paragraph2)
    existing_state = lstm_layer.states
    assert not any(state is weight for state in existing_state for weight in lstm_layer.weights)

    new_lstm_layer = layers.LSTM(64)
    new_lstm_layer(paragraph3)
    new_lstm_layer.set_weights(lstm_layer.get_weights())
    new_output = new_lstm_layer(paragraph3, initial_state=existing_state)
    torch.testing.assert_close(new_output, lstm_layer(paragraph3))  # the same continuation


def test_bidirectional_rnns():
    model = keras.Sequential()
    model.add(layers.Bidirectional(layers.LSTM(64, return_sequences=True), input_shape=(5, 10)))
    model.add(layers.Bidirectional(layers.LSTM(32)))
    model.add(layers.Dense(10))
    assert model.layers[0].output.shape == (None, 5, 128)
    assert model.layers[1].output.shape == (None, 64)

    x = np.random.default_rng(5).standard_normal((2, 5, 10)).astype("float32")
    first = model.layers[0]
    oracle = torch.nn.LSTM(10, 64, batch_first=True, bidirectional=True)
    with torch.no_grad():
        for suffix, direction in (("", first.forward_layer), ("_reverse", first.backward_layer)):
            kernel, recurrent_kernel, bias = direction.get_weights()
            getattr(oracle, f"weight_ih_l0{suffix}").copy_(torch.as_tensor(kernel.T))
            getattr(oracle, f"weight_hh_l0{suffix}").copy_(torch.as_tensor(recurrent_kernel.T))
            getattr(oracle, f"bias_ih_l0{suffix}").copy_(torch.as_tensor(bias))
            getattr(oracle, f"bias_hh_l0{suffix}").zero_()
        expected, _ = oracle(torch.as_tensor(x))
    torch.testing.assert_close(first(x), expected, rtol=1e-5, atol=1e-6)
    assert model(x).shape == (2, 10)


def test_a_cell_built_from_rnn_cell_uses_the_step_loop_with_the_same_numbers():
    # The guide's "CuDNN" section: LSTM(units) and RNN(LSTMCell(units)) give the same
    # predictions from the same weights; only the speed differs.
    def build_model(allow_fused_kernel):
        lstm = layers.LSTM(16) if allow_fused_kernel else layers.RNN(layers.LSTMCell(16))
        return keras.Sequential([keras.Input((None, 28)), lstm,
                                 layers.BatchNormalization(), layers.Dense(10)])

    model = build_model(allow_fused_kernel=True)
    loop_model = build_model(allow_fused_kernel=False)
    loop_model.set_weights(model.get_weights())
    images = np.random.default_rng(6).random((4, 28, 28)).astype("float32")
    np.testing.assert_allclose(loop_model.predict(images, verbose=0),
                               model.predict(images, verbose=0), rtol=1e-5, atol=1e-5)


class NestedCell(keras.layers.Layer):
    """A cell with two inputs per step, one of them a matrix, and a matrix state."""

    def __init__(self, unit_1, unit_2, unit_3, **kwargs):
        self.unit_1 = unit_1
        self.unit_2 = unit_2
        self.unit_3 = unit_3
        self.state_size = [unit_1, (unit_2, unit_3)]
        self.output_size = [unit_1, (unit_2, unit_3)]
        super().__init__(**kwargs)

    def build(self, input_shapes):
        i1 = input_shapes[0][1]  # [(batch, i1), (batch, i2, i3)]
        i2, i3 = input_shapes[1][1:]
        self.kernel_1 = self.add_weight(shape=(i1, self.unit_1), initializer="uniform",
                                        name="kernel_1")
        self.kernel_2_3 = self.add_weight(shape=(i2, i3, self.unit_2, self.unit_3),
                                          initializer="uniform", name="kernel_2_3")

    def call(self, inputs, states):
        input_1, input_2 = inputs
        s1, s2 = states
        output_1 = ops.matmul(input_1, self.kernel_1)
        output_2_3 = ops.einsum("bij,ijkl->bkl", input_2, self.kernel_2_3)
        return (output_1, output_2_3), (s1 + output_1, s2 + output_2_3)

    def get_config(self):
        return {"unit_1": self.unit_1, "unit_2": self.unit_2, "unit_3": self.unit_3}


def test_rnn_with_nested_inputs_and_outputs():
    unit_1, unit_2, unit_3, i1, i2, i3 = 10, 20, 30, 32, 8, 4
    batch_size, num_batches, timestep = 8, 2, 5
    cell = NestedCell(unit_1, unit_2, unit_3)
    rnn = layers.RNN(cell, return_state=True)
    input_1 = keras.Input((None, i1))
    input_2 = keras.Input((None, i2, i3))
    outputs, state_1, state_2_3 = rnn((input_1, input_2))
    assert [t.shape for t in outputs] == [(None, unit_1), (None, unit_2, unit_3)]
    assert (state_1.shape, state_2_3.shape) == ((None, unit_1), (None, unit_2, unit_3))
    model = keras.Model([input_1, input_2], outputs)
    model.compile(optimizer="adam", loss="mse")

    rng = np.random.default_rng(7)
    samples = batch_size * num_batches
    input_1_data = rng.random((samples, timestep, i1)).astype("float32")
    input_2_data = rng.random((samples, timestep, i2, i3)).astype("float32")
    output_1, output_2_3 = model.predict([input_1_data, input_2_data], verbose=0)
    kernel_1, kernel_2_3 = cell.get_weights()
    np.testing.assert_allclose(output_1, input_1_data[:, -1] @ kernel_1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(output_2_3, np.einsum("bij,ijkl->bkl", input_2_data[:, -1],
                                                     kernel_2_3), rtol=1e-5, atol=1e-6)
    _, final_1, final_2_3 = rnn((input_1_data, input_2_data))  # the states sum every step
    np.testing.assert_allclose(final_1.detach().numpy(), input_1_data.sum(axis=1) @ kernel_1,
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(final_2_3.detach().numpy(), np.einsum(
        "bij,ijkl->bkl", input_2_data.sum(axis=1), kernel_2_3), rtol=1e-5, atol=1e-5)

    target_1_data = rng.random((samples, unit_1)).astype("float32")
    target_2_data = rng.random((samples, unit_2, unit_3)).astype("float32")
    history = model.fit([input_1_data, input_2_data], [target_1_data, target_2_data],
                        batch_size=batch_size, epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]


def test_summaries_of_the_stacked_and_the_encoder_decoder_models():
    model = keras.Sequential()
    model.add(layers.Embedding(input_dim=1000, output_dim=64))
    model.add(layers.GRU(256, return_sequences=True))
    model.add(layers.SimpleRNN(128))
    model.add(layers.Dense(10))
    model.build((None, 7))
    lines = summary_lines(model)
    # GRU (reset_after=True): 3 * (64*256 + 256*256 + 2*256); SimpleRNN: 256*128 + 128*128 + 128
    assert any("gru" in line and "247,296" in line for line in lines)
    assert any("simple_rnn" in line and "49,280" in line for line in lines)

    encoder_input, decoder_input = layers.Input(shape=(None,)), layers.Input(shape=(None,))
    _, state_h, state_c = layers.LSTM(64, return_state=True, name="encoder")(
        layers.Embedding(input_dim=1000, output_dim=64)(encoder_input))
    decoder_output = layers.LSTM(64, name="decoder")(
        layers.Embedding(input_dim=2000, output_dim=64)(decoder_input),
        initial_state=[state_h, state_c])
    model = keras.Model([encoder_input, decoder_input], layers.Dense(10)(decoder_output))
    lines = summary_lines(model)
    assert any("encoder" in line and "33,024" in line for line in lines)  # 4 * (64+64+1) * 64
    assert any("Total params: 258,698" in line for line in lines)


def build_rows_model(allow_fused_kernel, units=16):
    """The guide's `build_model`: `input_shape=` on the recurrent layer, no Input."""
    if allow_fused_kernel:
        lstm_layer = keras.layers.LSTM(units, input_shape=(None, 28))
    else:
        lstm_layer = keras.layers.RNN(keras.layers.LSTMCell(units), input_shape=(None, 28))
    return keras.models.Sequential([lstm_layer, keras.layers.BatchNormalization(),
                                    keras.layers.Dense(10)])


def test_rows_of_digits_train_with_fit_and_predict_on_one_batch():
    rng = np.random.default_rng(8)
    x_train, x_test = rng.integers(0, 256, (48, 28, 28)) / 255.0, rng.random((16, 28, 28))
    y_train, y_test = rng.integers(0, 10, 48), rng.integers(0, 10, 16)
    histories = []
    model = build_rows_model(allow_fused_kernel=True)
    loop_model = build_rows_model(allow_fused_kernel=False)
    loop_model.set_weights(model.get_weights())
    for each in (model, loop_model):
        each.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                     optimizer="sgd", metrics=["accuracy"])
        keras.utils.set_random_seed(0)  # the same shuffling for both
        histories.append(each.fit(x_train, y_train, validation_data=(x_test, y_test),
                                  batch_size=16, epochs=1, verbose=0).history)
    assert sorted(histories[0]) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    for key in histories[0]:
        np.testing.assert_allclose(histories[1][key], histories[0][key], rtol=1e-4)

    sample = x_train[0]
    result = ops.argmax(model.predict_on_batch(ops.expand_dims(sample, 0)), axis=1)
    assert result.shape == (1,) and result.dtype == torch.int32
    assert int(result[0]) == int(model.predict(sample[None], verbose=0).argmax())


def test_nested_rnn_compiles_with_accuracy_for_each_output():
    # The guide passes metrics=["accuracy"] for the two outputs of one RNN layer. minilib
    # applies a flat list to every output (tf.keras did; Keras 3.15 asks for one list per
    # output) and names the second metric as Keras names repeats: with a "_1" suffix.
    rnn = layers.RNN(NestedCell(4, 3, 2))
    input_1, input_2 = keras.Input((None, 5)), keras.Input((None, 6, 2))
    model = keras.Model([input_1, input_2], rnn((input_1, input_2)))
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    rng = np.random.default_rng(9)
    inputs = [rng.random((8, 3, 5)), rng.random((8, 3, 6, 2))]
    targets = [rng.random((8, 4)), rng.random((8, 3, 2))]
    history = model.fit(inputs, targets, batch_size=4, verbose=0)
    assert model.output_names == [rnn.name, rnn.name]
    assert {f"{rnn.name}_accuracy", f"{rnn.name}_accuracy_1", "loss"} <= set(history.history)
