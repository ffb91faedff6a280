"""Keras's guide "Writing a training loop from scratch in PyTorch", on small random digits.

The guide trains one MNIST classifier four ways: with a torch optimizer and torch loss,
with Keras's optimizer and loss, then with metrics and a validation loop, then with a
layer that adds its own loss. Each test is one of these, in the guide's order, and checks
the numbers against plain PyTorch.
"""

import numpy as np
import torch

import minilib as keras

BATCH_SIZE = 16


def get_model():
    inputs = keras.Input(shape=(64,), name="digits")
    x = keras.layers.Dense(32, activation="relu")(inputs)
    x = keras.layers.Dense(32, activation="relu")(x)
    outputs = keras.layers.Dense(10, name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def loaders(samples=96, validation=32):
    """Torch DataLoaders of (float32 pixels, one-hot labels), as the guide builds them."""
    rng = np.random.default_rng(0)
    x = rng.random((samples + validation, 64)).astype("float32")
    y = keras.utils.to_categorical(rng.integers(0, 10, samples + validation), 10)
    train = torch.utils.data.TensorDataset(torch.from_numpy(x[:samples]),
                                           torch.from_numpy(y[:samples]))
    val = torch.utils.data.TensorDataset(torch.from_numpy(x[samples:]),
                                         torch.from_numpy(y[samples:]))
    return (torch.utils.data.DataLoader(train, batch_size=BATCH_SIZE, shuffle=False),
            torch.utils.data.DataLoader(val, batch_size=BATCH_SIZE, shuffle=False))


def test_a_minilib_model_trains_with_a_torch_optimizer_and_torch_loss():
    train, _ = loaders()
    model = get_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = torch.nn.CrossEntropyLoss()  # takes logits and (soft or one-hot) targets
    epoch_losses = []
    for _ in range(3):
        losses = []
        for inputs, targets in train:
            loss = loss_fn(model(inputs), targets)
            model.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(float(loss.detach().numpy()))
        epoch_losses.append(np.mean(losses))
    assert len(list(model.parameters())) == len(model.trainable_weights) == 6
    assert epoch_losses[-1] < epoch_losses[0]


def keras_step(model, optimizer, loss_fn, inputs, targets):
    """One step the guide's way: backward, read `.value.grad`, then `optimizer.apply`."""
    logits = model(inputs)
    loss = loss_fn(targets, logits)
    model.zero_grad()
    trainable_weights = list(model.trainable_weights)
    loss.backward()
    gradients = [v.value.grad for v in trainable_weights]
    with torch.no_grad():
        optimizer.apply(gradients, trainable_weights)
    return loss


def test_keras_optimizer_and_loss_match_their_torch_counterparts():
    train, _ = loaders()
    model, twin = get_model(), get_model()
    twin.set_weights(model.get_weights())
    # The guide uses Adam; SGD makes the same loop comparable with torch to float precision
    # (Keras's Adam puts its epsilon elsewhere than torch's, which tiny gradients show).
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
    torch_optimizer = torch.optim.SGD(twin.parameters(), lr=0.1)
    for inputs, targets in train:
        loss = keras_step(model, optimizer, loss_fn, inputs, targets)
        torch_loss = torch.nn.functional.cross_entropy(twin(inputs), targets)
        torch.testing.assert_close(loss, torch_loss, rtol=1e-5, atol=1e-6)
        twin.zero_grad()
        torch_loss.backward()
        torch_optimizer.step()
    assert int(optimizer.iterations) == len(train)
    for ours, theirs in zip(model.get_weights(), twin.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def accuracy(logits, targets):
    return float(np.mean(np.argmax(logits, axis=1) == np.argmax(targets, axis=1)))


def test_metrics_accumulate_over_an_epoch_and_reset():
    train, val = loaders()
    model = get_model()
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
    train_acc_metric = keras.metrics.CategoricalAccuracy()
    val_acc_metric = keras.metrics.CategoricalAccuracy()

    hits = []
    for inputs, targets in train:
        keras_step(model, optimizer, loss_fn, inputs, targets)
        with torch.no_grad():
            logits = model(inputs)
        train_acc_metric.update_state(targets, logits)
        hits.append(accuracy(logits.numpy(), targets.numpy()))
    np.testing.assert_allclose(float(train_acc_metric.result()), np.mean(hits), rtol=1e-6)
    train_acc_metric.reset_state()
    assert float(train_acc_metric.result()) == 0.0

    all_logits, all_targets = [], []
    for x_batch_val, y_batch_val in val:
        val_logits = model(x_batch_val, training=False)
        val_acc_metric.update_state(y_batch_val, val_logits)
        all_logits.append(val_logits.detach().numpy())
        all_targets.append(y_batch_val.numpy())
    expected = accuracy(np.concatenate(all_logits), np.concatenate(all_targets))
    np.testing.assert_allclose(float(val_acc_metric.result()), expected, rtol=1e-6)


class ActivityRegularizationLayer(keras.layers.Layer):
    """Passes its input through and adds 1% of its sum to the model's losses."""

    def call(self, inputs):
        self.add_loss(1e-2 * torch.sum(inputs))
        return inputs


def test_losses_added_by_layers_join_the_loss_by_hand():
    train, _ = loaders()
    inputs = keras.Input(shape=(64,), name="digits")
    hidden = keras.layers.Dense(32, activation="relu")(inputs)
    hidden = ActivityRegularizationLayer()(hidden)
    hidden = keras.layers.Dense(32, activation="relu")(hidden)
    model = keras.Model(inputs, keras.layers.Dense(10, name="predictions")(hidden))
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
    batch, targets = next(iter(train))
    assert model.losses == []

    logits = model(batch)
    assert len(model.losses) == 1
    activity = model.layers[1](batch)  # what the regularization layer saw
    torch.testing.assert_close(model.losses[0], 1e-2 * torch.sum(activity))
    loss = loss_fn(targets, logits)
    if model.losses:
        loss = loss + torch.sum(*model.losses)
    weights = list(model.trainable_weights)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        optimizer.apply([v.value.grad for v in weights], weights)
    assert int(optimizer.iterations) == 1
    model(batch)
    assert len(model.losses) == 1  # replaced, not appended, by the next forward pass
