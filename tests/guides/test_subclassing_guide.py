"""Code in the style of Keras's guide "Making new layers and models via subclassing"."""

import numpy as np
import pytest
import torch

import minilib as keras
from minilib import layers, ops


class Linear(layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


class MLPBlock(layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = ops.relu(self.linear_1(inputs))
        x = ops.relu(self.linear_2(x))
        return self.linear_3(x)


class ActivityRegularizationLayer(layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class CustomDropout(layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs, training=None):
        if training:
            return keras.random.dropout(inputs, rate=self.rate)
        return inputs


class Sampling(layers.Layer):
    """Draw z from N(z_mean, exp(z_log_var)) with the reparameterization trick."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(shape=ops.shape(z_mean))
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


class VariationalAutoEncoder(keras.Model):
    def __init__(self, original_dim, latent_dim=4, name="autoencoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.hidden = layers.Dense(16, activation="relu")
        self.dense_mean = layers.Dense(latent_dim)
        self.dense_log_var = layers.Dense(latent_dim)
        self.sampling = Sampling()
        self.decoder_hidden = layers.Dense(16, activation="relu")
        self.decoder_out = layers.Dense(original_dim, activation="sigmoid")

    def call(self, inputs):
        h = self.hidden(inputs)
        z_mean, z_log_var = self.dense_mean(h), self.dense_log_var(h)
        z = self.sampling((z_mean, z_log_var))
        reconstructed = self.decoder_out(self.decoder_hidden(z))
        kl_loss = -0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1)
        self.add_loss(kl_loss)
        return reconstructed


def test_linear_layer_matches_torch_and_tracks_weights():
    x = np.ones((2, 2), dtype="float32")
    layer = Linear(4)
    y = layer(x)
    torch.testing.assert_close(y, torch.as_tensor(x) @ layer.w + layer.b)
    assert layer.weights == [layer.w, layer.b]


def test_weights_can_also_be_made_in_init_when_the_input_size_is_known():
    class LinearOfKnownSize(layers.Layer):
        def __init__(self, units, input_dim):
            super().__init__()
            self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal",
                                     trainable=True)
            self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

        def call(self, inputs):
            return ops.matmul(inputs, self.w) + self.b

    layer = LinearOfKnownSize(4, 2)
    assert layer.weights == [layer.w, layer.b]  # before any call
    y = layer(np.ones((2, 2), dtype="float32"))
    torch.testing.assert_close(y, torch.ones(2, 2) @ layer.w + layer.b)


def test_a_non_trainable_weight_keeps_a_running_total():
    class RunningTotal(layers.Layer):
        def __init__(self, input_dim):
            super().__init__()
            self.total = self.add_weight(initializer="zeros", shape=(input_dim,),
                                         trainable=False)

        def call(self, inputs):
            self.total.assign_add(ops.sum(inputs, axis=0))
            return self.total

    my_sum = RunningTotal(2)
    x = np.ones((2, 2), dtype="float32")
    np.testing.assert_array_equal(my_sum(x).numpy(), [2.0, 2.0])
    np.testing.assert_array_equal(my_sum(x).numpy(), [4.0, 4.0])
    assert len(my_sum.weights) == len(my_sum.non_trainable_weights) == 1
    assert my_sum.trainable_weights == []


def test_recursive_composition_tracks_nested_weights():
    mlp = MLPBlock()
    mlp(np.ones((3, 64), dtype="float32"))
    assert len(mlp.weights) == 6 and len(mlp.trainable_weights) == 6


def test_add_loss_is_collected_per_forward_pass():
    class OuterLayer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.activity_reg = ActivityRegularizationLayer(1e-2)

        def call(self, inputs):
            return self.activity_reg(inputs)

    layer = OuterLayer()
    assert len(layer.losses) == 0
    layer(np.zeros((1, 1), dtype="float32"))
    assert len(layer.losses) == 1
    layer(np.zeros((1, 1), dtype="float32"))
    assert len(layer.losses) == 1  # reset at the start of each top-level call


def test_a_kernel_regularizer_adds_its_penalty_to_losses():
    class WithRegularizedDense(layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(32, kernel_regularizer=keras.regularizers.l2(1e-3))

        def call(self, inputs):
            return self.dense(inputs)

    layer = WithRegularizedDense()
    layer(np.zeros((1, 1), dtype="float32"))
    assert len(layer.losses) == 1
    torch.testing.assert_close(layer.losses[0], 1e-3 * torch.sum(layer.dense.kernel ** 2))


def test_fit_adds_layer_losses_to_the_compiled_loss_or_uses_them_alone():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, ActivityRegularizationLayer()(inputs))
    rng = np.random.default_rng(0)
    x, y = rng.random((2, 3)).astype("float32"), rng.random((2, 3)).astype("float32")
    activity = 1e-2 * x.mean()

    model.compile(optimizer="adam", loss="mse")
    with pytest.warns(UserWarning, match="no trainable weights"):
        logs = model.fit(x, y, verbose=0).history
    np.testing.assert_allclose(logs["loss"][0], ((x - y) ** 2).mean() + activity, rtol=1e-5)

    model.compile(optimizer="adam")  # no loss: the layer's loss is the whole objective
    with pytest.warns(UserWarning, match="no trainable weights"):
        logs = model.fit(x, y, verbose=0).history
    np.testing.assert_allclose(logs["loss"][0], activity, rtol=1e-5)


def test_get_config_with_and_without_the_base_config():
    class OnlyUnits(Linear):
        def get_config(self):
            return {"units": self.units}

    assert OnlyUnits(64).get_config() == {"units": 64}
    assert OnlyUnits.from_config({"units": 64}).units == 64
    config = Linear(64, name="linear_64").get_config()
    assert config["units"] == 64 and config["name"] == "linear_64"
    assert config["trainable"] is True and "dtype" in config


def test_layer_get_config_round_trip():
    layer = Linear(64)
    config = layer.get_config()
    new_layer = Linear.from_config(config)
    assert new_layer.units == 64


def test_training_argument_in_call():
    dropout = CustomDropout(0.5)
    x = np.ones((50, 50), dtype="float32")
    np.testing.assert_array_equal(dropout(x).numpy(), x)
    assert (dropout(x, training=True).numpy() == 0).any()


def test_variational_autoencoder_trains_with_its_own_loss():
    rng = np.random.default_rng(0)
    x_train = rng.random((256, 20)).astype("float32")
    keras.utils.set_random_seed(1)
    vae = VariationalAutoEncoder(20)
    vae.compile(keras.optimizers.Adam(learning_rate=1e-2), loss=keras.losses.MeanSquaredError())
    history = vae.fit(x_train, x_train, epochs=4, batch_size=64, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert len(vae.losses) == 1  # the KL term of the last forward pass


def test_model_without_loss_explains():
    model = keras.Sequential([layers.Dense(1)])
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="no loss to minimize"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
