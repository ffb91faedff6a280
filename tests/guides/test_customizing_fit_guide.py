"""Keras's guide "Customizing what happens in fit()" (torch backend), section by section.

Each test retells one section on small random data: a model that overrides
`train_step` (or `test_step`) keeps every convenience of `fit`/`evaluate`.
"""

import math

import numpy as np
import torch

import minilib as keras
from minilib import layers, ops


def linear_problem(samples=64, features=8, seed=0):
    """Targets that a single Dense layer can learn exactly."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((samples, features)).astype("float32")
    y = x @ rng.standard_normal((features, 1)).astype("float32")
    return x, y


def apply_gradients_by_hand(model, loss):
    """The torch way to finish a step: backpropagate, then let the optimizer move the weights."""
    weights = list(model.trainable_weights)
    loss.backward()
    with torch.no_grad():
        model.optimizer.apply([weight.value.grad for weight in weights], weights)


def test_a_first_simple_example_overrides_train_step_of_a_functional_model():
    class StepByHand(keras.Model):
        steps = 0

        def train_step(self, data):
            x, y = data  # fit(x, y) hands over the tuple (x, y)
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            apply_gradients_by_hand(self, loss)
            for metric in self.metrics:  # the loss tracker, then the compiled metrics
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            type(self).steps += 1
            return {metric.name: metric.result() for metric in self.metrics}

    inputs = keras.Input(shape=(8,))
    model = StepByHand(inputs, layers.Dense(1)(inputs))
    assert isinstance(model, keras.Model) and type(model) is StepByHand
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
    x, y = linear_problem()
    history = model.fit(x, y, batch_size=16, epochs=5, verbose=0)

    assert StepByHand.steps == 4 * 5
    assert list(history.history) == ["loss", "mae"]  # the "compile_metrics" group unfolds
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert model.metrics_names == ["loss", "compile_metrics"]


def test_going_lower_level_with_own_loss_and_metrics_reset_every_epoch():
    class OwnTrackers(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
            self.loss_fn = keras.losses.MeanSquaredError()

        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)
            apply_gradients_by_hand(self, loss)
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        @property
        def metrics(self):  # what fit() resets at the start of every epoch
            return [self.loss_tracker, self.mae_metric]

    class CountAtEpochStart(keras.callbacks.Callback):
        counts = []

        def on_epoch_begin(self, epoch, logs=None):
            self.counts.append(float(self.model.loss_tracker.count))

    inputs = keras.Input(shape=(8,))
    model = OwnTrackers(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.Adam(0.05))  # no loss, no metrics
    x, y = linear_problem()
    history = model.fit(x, y, batch_size=16, epochs=3, callbacks=[CountAtEpochStart()],
                        verbose=0)

    assert CountAtEpochStart.counts == [0.0, 0.0, 0.0]
    assert float(model.loss_tracker.count) == 4  # batches of the last epoch only
    assert sorted(history.history) == ["loss", "mae"]
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_supporting_sample_weight_and_class_weight():
    class Weighted(keras.Model):
        sizes = []

        def train_step(self, data):
            self.sizes.append(len(data))
            if len(data) == 3:
                x, y, sample_weight = data
            else:
                (x, y), sample_weight = data, None
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
            apply_gradients_by_hand(self, loss)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred, sample_weight=sample_weight)
            return {metric.name: metric.result() for metric in self.metrics}

    inputs = keras.Input(shape=(8,))
    model = Weighted(inputs, layers.Dense(1)(inputs))
    # A learning rate of 0 leaves the weights alone, so the logs can be checked by hand.
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", metrics=["mae"])
    x, y = linear_problem(samples=32)
    weights = np.random.default_rng(1).random(32).astype("float32")
    logs = model.fit(x, y, sample_weight=weights, batch_size=32, epochs=1, verbose=0).history
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    model.fit(x, (y > 0).astype("float32"), class_weight={0: 1.0, 1: 2.0}, batch_size=32,
              epochs=1, verbose=0)

    assert Weighted.sizes == [3, 2, 3]
    error = model.predict(x, verbose=0) - y
    expected_loss = np.sum(weights * error[:, 0] ** 2) / 32
    np.testing.assert_allclose(logs["loss"][0], expected_loss, rtol=1e-5)
    # As in Keras, metrics given as `metrics=` ignore sample weights (weighted_metrics use them).
    np.testing.assert_allclose(logs["mae"][0], np.mean(np.abs(error)), rtol=1e-5)


def test_providing_your_own_evaluation_step():
    class OwnTestStep(keras.Model):
        evaluated = 0

        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            type(self).evaluated += 1
            return {metric.name: metric.result() for metric in self.metrics}

    inputs = keras.Input(shape=(8,))
    model = OwnTestStep(inputs, layers.Dense(1)(inputs))
    model.compile(loss="mse", metrics=["mae"])
    x, y = linear_problem(samples=40)
    loss, mae = model.evaluate(x, y, batch_size=40, verbose=0)

    assert OwnTestStep.evaluated == 1
    error = model.predict(x, verbose=0) - y
    np.testing.assert_allclose(loss, np.mean(error ** 2), rtol=1e-5)
    np.testing.assert_allclose(mae, np.mean(np.abs(error)), rtol=1e-5)
    assert model.evaluate(x, y, batch_size=8, return_dict=True, verbose=0).keys() == {
        "loss", "mae"}
    assert OwnTestStep.evaluated == 1 + 5


def make_discriminator(filters=8):
    """The guide's discriminator, with fewer filters (64 and 128 there) to stay fast."""
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(filters, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(2 * filters, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(1),
    ], name="discriminator")


def make_generator(latent_dim, filters=8):
    """The guide's generator (128 filters there): 7x7 maps upsampled twice to 28x28x1."""
    return keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        layers.Dense(7 * 7 * filters),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((7, 7, filters)),
        layers.Conv2DTranspose(filters, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(filters, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, (7, 7), padding="same", activation="sigmoid"),
    ], name="generator")


class GAN(keras.Model):
    """Two networks, two optimizers and one loss, trained in turn by one train_step."""

    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.seed_generator = keras.random.SeedGenerator(1337)
        self.built = True

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def latent_points(self, count):
        return keras.random.normal(shape=(count, self.latent_dim), seed=self.seed_generator)

    def train_step(self, real_images):
        if isinstance(real_images, tuple):  # a DataLoader of (images, images) pairs
            real_images = real_images[0]
        count = real_images.shape[0]

        # The discriminator learns to tell generated images (label 1) from real ones (0).
        fakes = self.generator(self.latent_points(count))
        images = ops.concatenate([fakes, real_images], axis=0)
        labels = ops.concatenate([ops.ones((count, 1)), ops.zeros((count, 1))], axis=0)
        labels = labels + 0.05 * keras.random.uniform(ops.shape(labels), seed=self.seed_generator)
        self.zero_grad()
        d_loss = self.loss_fn(labels, self.discriminator(images))
        d_loss.backward()
        d_weights = self.discriminator.trainable_weights
        with torch.no_grad():
            self.d_optimizer.apply([w.value.grad for w in d_weights], d_weights)

        # The generator learns to make the discriminator say "real" (0); only it moves.
        self.zero_grad()
        verdict = self.discriminator(self.generator(self.latent_points(count)))
        g_loss = self.loss_fn(ops.zeros((count, 1)), verdict)
        g_loss.backward()
        g_weights = self.generator.trainable_weights
        with torch.no_grad():
            self.g_optimizer.apply_gradients(zip([w.grad for w in g_weights], g_weights,
                                                 strict=True))

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def test_wrapping_up_an_end_to_end_gan():
    latent_dim = 16
    images = np.random.default_rng(0).random((4, 28, 28, 1)).astype("float32")
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(images), torch.from_numpy(images))
    loader = torch.utils.data.DataLoader(dataset, batch_size=2, shuffle=True)
    gan = GAN(make_discriminator(), make_generator(latent_dim), latent_dim)
    gan.compile(d_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
                g_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
                loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
    discriminator_before = gan.discriminator.get_weights()
    generator_before = gan.generator.get_weights()

    history = gan.fit(loader, epochs=1, verbose=0).history

    assert sorted(history) == ["d_loss", "g_loss"]
    assert all(math.isfinite(history[name][0]) for name in history)
    assert int(gan.d_optimizer.iterations) == 2 and int(gan.g_optimizer.iterations) == 2
    assert int(gan.optimizer.iterations) == 0  # compile()'s own optimizer is never used
    moved = [not np.array_equal(a, b) for a, b in zip(
        discriminator_before + generator_before,
        gan.discriminator.get_weights() + gan.generator.get_weights(), strict=True)]
    assert all(moved)
