"""Keras's "Introduction to Keras for researchers", retold with `import minilib as keras`.

The guide is written with TensorFlow; here each TensorFlow call becomes the Keras 3 name
for it (`tf.square` -> `keras.ops.square`, `tf.Variable` -> `keras.Variable`,
`tf.random.uniform(dtype="int32")` -> `keras.random.randint`) and `GradientTape`
becomes torch autograd, as in Keras's torch-backend guides. MNIST is a few random
arrays of the same dtypes. The last test checks every `keras.ops` call of both intros
against real Keras 3 on small arrays.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import minilib as keras
from minilib import layers, ops


def gradients(loss, weights):
    """What `tape.gradient(loss, weights)` returns, taken with torch autograd."""
    return torch.autograd.grad(loss, [w.value for w in weights])


def mnist_batches(batch_size=16, samples=64, with_labels=True):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (samples, 28, 28), dtype=np.uint8)
    x = x.reshape(samples, 784).astype("float32") / 255
    y = rng.integers(0, 10, (samples,), dtype=np.uint8)
    tensors = (torch.from_numpy(x), torch.from_numpy(y)) if with_labels else (
        torch.from_numpy(x),)
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*tensors),
                                       batch_size=batch_size, shuffle=True)


def test_tensors_constants_and_random_values():
    x = ops.convert_to_tensor([[5, 2], [1, 3]])
    np.testing.assert_array_equal(ops.convert_to_numpy(x), [[5, 2], [1, 3]])
    assert x.dtype == torch.int32 and tuple(x.shape) == (2, 2)  # Python ints: int32
    assert ops.ones(shape=(2, 1)).tolist() == [[1.0], [1.0]]
    assert ops.zeros(shape=(2, 1)).tolist() == [[0.0], [0.0]]
    normal = keras.random.normal(shape=(2, 2), mean=0.0, stddev=1.0)
    assert normal.dtype == torch.float32
    integers = keras.random.randint(shape=(2, 2), minval=0, maxval=10, dtype="int32")
    assert integers.dtype == torch.int32 and 0 <= integers.min() and integers.max() < 10


def test_variables_assign_and_assign_add():
    a = keras.Variable(keras.random.normal(shape=(2, 2)))
    new_value = keras.random.normal(shape=(2, 2))
    a.assign(new_value)
    torch.testing.assert_close(a.value, new_value, rtol=0, atol=0)
    added_value = keras.random.normal(shape=(2, 2))
    a.assign_add(added_value)
    torch.testing.assert_close(a.value, new_value + added_value)


def test_math_and_first_and_second_order_gradients():
    a = keras.random.normal(shape=(2, 2))
    b = keras.random.normal(shape=(2, 2))
    e = ops.exp(ops.square(a + b))
    torch.testing.assert_close(e, torch.exp((a + b) ** 2))

    a = keras.Variable(a)  # a variable is watched without asking
    c = ops.sqrt(ops.square(a.value) + ops.square(b))
    dc_da, = torch.autograd.grad(c.sum(), a.value, create_graph=True)
    torch.testing.assert_close(dc_da, a / c)  # d/da sqrt(a^2 + b^2)
    d2c_da2, = torch.autograd.grad(dc_da.sum(), a.value)
    torch.testing.assert_close(d2c_da2, b**2 / c**3, rtol=1e-5, atol=1e-6)


class LinearWithVariables(keras.layers.Layer):
    """y = x.w + b, with both variables made in `__init__`."""

    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = keras.Variable(
            keras.initializers.RandomNormal()(shape=(input_dim, units), dtype="float32"))
        self.b = keras.Variable(keras.initializers.Zeros()(shape=(units,), dtype="float32"))

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class Linear(keras.layers.Layer):
    """y = x.w + b, with weights made by `add_weight` once the input size is known."""

    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


def test_layers_track_variables_made_in_init_or_in_build():
    eager = LinearWithVariables(units=4, input_dim=2)
    assert eager(ops.ones((2, 2))).shape == (2, 4)
    assert eager.weights == [eager.w, eager.b]
    lazy = Linear(4)
    assert lazy.weights == []
    y = lazy(ops.ones((2, 2)))
    assert lazy.weights == [lazy.w, lazy.b]
    torch.testing.assert_close(y, (lazy.w.sum(0) + lazy.b).expand(2, 4))


def test_a_hand_written_training_loop_takes_plain_sgd_steps():
    linear_layer = Linear(10)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.SGD(learning_rate=1e-3)
    for x, y in mnist_batches():
        logits = linear_layer(x)
        loss = loss_fn(y, logits)
        torch.testing.assert_close(loss, torch.nn.functional.cross_entropy(logits, y.long()))
        before = [w.detach().clone() for w in linear_layer.trainable_weights]
        grads = gradients(loss, linear_layer.trainable_weights)
        optimizer.apply_gradients(zip(grads, linear_layer.trainable_weights, strict=True))
        for old, grad, new in zip(before, grads, linear_layer.trainable_weights, strict=True):
            torch.testing.assert_close(new.detach(), old - 1e-3 * grad)
    assert int(optimizer.iterations) == 4


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = keras.Variable(ops.zeros((input_dim,)), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


def test_non_trainable_weights_keep_a_running_sum():
    my_sum = ComputeSum(2)
    assert ops.convert_to_numpy(my_sum(ops.ones((2, 2)))).tolist() == [2.0, 2.0]
    assert ops.convert_to_numpy(my_sum(ops.ones((2, 2)))).tolist() == [4.0, 4.0]
    assert my_sum.weights == [my_sum.total]
    assert my_sum.non_trainable_weights == [my_sum.total]
    assert my_sum.trainable_weights == []


class MLP(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(10)

    def call(self, inputs):
        x = ops.relu(self.linear_1(inputs))
        x = ops.relu(self.linear_2(x))
        return self.linear_3(x)


def test_layers_that_own_layers_track_their_weights():
    mlp = MLP()
    assert mlp(ops.ones(shape=(3, 64))).shape == (3, 10)
    assert len(mlp.weights) == 6
    built_in = keras.Sequential([
        keras.layers.Dense(32, activation=keras.activations.relu),
        keras.layers.Dense(32, activation=keras.activations.relu),
        keras.layers.Dense(10),
    ])
    assert built_in(ops.ones(shape=(3, 64))).shape == (3, 10)
    assert len(built_in.weights) == 6


class ActivityRegularization(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.sum(inputs))
        return inputs


class SparseMLP(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.regularization = ActivityRegularization(1e-2)
        self.linear_3 = Linear(10)

    def call(self, inputs):
        x = ops.relu(self.linear_1(inputs))
        return self.linear_3(self.regularization(x))


def test_losses_from_add_loss_belong_to_the_last_forward_pass_only():
    mlp = SparseMLP()
    inputs = ops.ones((10, 10))
    mlp(inputs)
    assert len(mlp.losses) == 1
    hidden = ops.relu(mlp.linear_1(inputs))
    torch.testing.assert_close(mlp.losses[0], 1e-2 * hidden.sum())
    mlp(inputs)
    assert len(mlp.losses) == 1  # no accumulation

    mlp = SparseMLP()  # a new one, for 784 features
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.SGD(learning_rate=1e-3)
    for x, y in mnist_batches():
        logits = mlp(x)
        loss = loss_fn(y, logits) + sum(mlp.losses)
        grads = gradients(loss, mlp.trainable_weights)
        optimizer.apply_gradients(zip(grads, mlp.trainable_weights, strict=True))
    assert int(optimizer.iterations) == 4


def test_a_built_in_metric_in_a_hand_written_loop():
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    model = keras.Sequential([keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(10)])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    correct = seen = 0
    for x, y in mnist_batches():
        logits = model(x)
        accuracy.update_state(y, logits)
        correct += (logits.argmax(-1) == y).sum().item()
        seen += len(y)
        grads = gradients(loss_fn(y, logits), model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights, strict=True))
    np.testing.assert_allclose(accuracy.result().item(), correct / seen, rtol=1e-6)
    accuracy.reset_state()
    assert accuracy.result().item() == 0.0


class F1Score(keras.metrics.Metric):
    def __init__(self, name="f1_score", dtype="float32", threshold=0.5, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.threshold = threshold
        self.true_positives = self.add_weight(name="tp", dtype=dtype, initializer="zeros")
        self.false_positives = self.add_weight(name="fp", dtype=dtype, initializer="zeros")
        self.false_negatives = self.add_weight(name="fn", dtype=dtype, initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.cast(ops.greater_equal(y_pred, self.threshold), "bool")
        y_true = ops.cast(y_true, "bool")
        counts = [ops.cast(y_true & y_pred, self.dtype), ops.cast(~y_true & y_pred, self.dtype),
                  ops.cast(y_true & ~y_pred, self.dtype)]
        if sample_weight is not None:
            counts = [count * ops.cast(sample_weight, self.dtype) for count in counts]
        for variable, count in zip(self.variables, counts, strict=True):
            variable.assign_add(ops.sum(count))

    def result(self):
        precision = self.true_positives / (self.true_positives + self.false_positives)
        recall = self.true_positives / (self.true_positives + self.false_negatives)
        return precision * recall * 2.0 / (precision + recall)

    def reset_state(self):
        for variable in self.variables:
            variable.assign(0)


def test_a_custom_f1_metric_built_with_add_weight():
    metric = F1Score()
    assert [v.name for v in metric.variables] == ["tp", "fp", "fn"]
    metric.update_state([0, 1, 0, 0], [0.3, 0.5, 0.8, 0.9])
    np.testing.assert_allclose(float(metric.result()), 0.5)  # the guide's printout
    metric.update_state([1, 1, 1, 1], [0.1, 0.7, 0.6, 0.0])
    np.testing.assert_allclose(float(metric.result()), 0.6, rtol=1e-6)
    metric.reset_state()
    assert [float(v) for v in metric.variables] == [0.0, 0.0, 0.0]


class Dropout(keras.layers.Layer):
    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def call(self, inputs, training=None):
        return keras.random.dropout(inputs, rate=self.rate) if training else inputs


def test_training_flag_reaches_layers_in_subclassed_and_functional_models():
    class MLPWithDropout(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.linear_1 = Linear(32)
            self.dropout = Dropout(0.5)
            self.linear_3 = Linear(10)

        def call(self, inputs, training=None):
            x = ops.relu(self.linear_1(inputs))
            return self.linear_3(self.dropout(x, training=training))

    mlp = MLPWithDropout()
    x = ops.ones((2, 2))
    torch.testing.assert_close(mlp(x, training=False), mlp(x, training=False))
    assert not torch.equal(mlp(x, training=True), mlp(x, training=False))

    inputs = keras.Input(shape=(16,), dtype="float32")
    outputs = Linear(10)(Dropout(0.5)(Linear(32)(inputs)))
    model = keras.Model(inputs, outputs)
    assert len(model.weights) == 4  # built from the Input's shape, before any data
    assert model(ops.ones((2, 16))).shape == (2, 10)
    assert not torch.equal(model(ops.ones((2, 16)), training=True), model(ops.ones((2, 16))))


def mnist_mlp_layers():
    inputs = keras.Input(shape=(784,), dtype="float32")
    x = keras.layers.Dense(32, activation="relu")(inputs)
    x = keras.layers.Dense(32, activation="relu")(x)
    return inputs, keras.layers.Dense(10)(x)


def test_compile_fit_predict_evaluate_on_a_dataloader():
    model = keras.Model(*mnist_mlp_layers())
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()])
    batches = mnist_batches()
    history = model.fit(batches, epochs=2, verbose=0)
    assert sorted(history.history) == ["loss", "sparse_categorical_accuracy"]
    assert model.predict(batches, verbose=0).shape == (64, 10)
    assert len(model.evaluate(batches, verbose=0)) == 2


def test_a_custom_train_step_with_its_own_metrics():
    class CustomModel(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.accuracy = keras.metrics.SparseCategoricalAccuracy()
            self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
            self.optimizer = keras.optimizers.Adam(learning_rate=1e-3)

        def train_step(self, data):
            x, y = data
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)
            grads = gradients(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights, strict=True))
            self.loss_tracker.update_state(loss)
            self.accuracy.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "accuracy": self.accuracy.result()}

        @property
        def metrics(self):
            return [self.loss_tracker, self.accuracy]

    model = CustomModel(*mnist_mlp_layers())
    model.compile()
    history = model.fit(mnist_batches(), epochs=2, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]
    assert int(model.optimizer.iterations) == 8
    assert model.loss_tracker.count.item() == 4  # reset at the start of each epoch


class Sampling(layers.Layer):
    """z = mean + exp(log_var / 2) * noise."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(shape=(ops.shape(z_mean)[0], ops.shape(z_mean)[1]))
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def kl_divergence(z_mean, z_log_var):
    return -0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1)


class Encoder(layers.Layer):
    def __init__(self, latent_dim=32, intermediate_dim=64, **kwargs):
        super().__init__(**kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation=keras.activations.relu)
        self.dense_mean = layers.Dense(latent_dim)
        self.dense_log_var = layers.Dense(latent_dim)
        self.sampling = Sampling()

    def call(self, inputs):
        x = self.dense_proj(inputs)
        z_mean, z_log_var = self.dense_mean(x), self.dense_log_var(x)
        return z_mean, z_log_var, self.sampling((z_mean, z_log_var))


class Decoder(layers.Layer):
    def __init__(self, original_dim, intermediate_dim=64, **kwargs):
        super().__init__(**kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation=keras.activations.relu)
        self.dense_output = layers.Dense(original_dim, activation=keras.activations.sigmoid)

    def call(self, inputs):
        return self.dense_output(self.dense_proj(inputs))


class VariationalAutoEncoder(layers.Layer):
    def __init__(self, original_dim, intermediate_dim=64, latent_dim=32, **kwargs):
        super().__init__(**kwargs)
        self.encoder = Encoder(latent_dim=latent_dim, intermediate_dim=intermediate_dim)
        self.decoder = Decoder(original_dim, intermediate_dim=intermediate_dim)

    def call(self, inputs):
        z_mean, z_log_var, z = self.encoder(inputs)
        self.add_loss(kl_divergence(z_mean, z_log_var))
        return self.decoder(z)


def test_a_variational_autoencoder_as_nested_layers_with_a_kl_loss():
    vae = VariationalAutoEncoder(original_dim=784, intermediate_dim=64, latent_dim=32)
    loss_fn = keras.losses.MeanSquaredError()
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    for (x,) in mnist_batches(with_labels=False):
        reconstructed = vae(x)
        assert reconstructed.shape == (16, 784) and 0 < reconstructed.min()
        z_mean = vae.encoder.dense_mean(vae.encoder.dense_proj(x))
        z_log_var = vae.encoder.dense_log_var(vae.encoder.dense_proj(x))
        torch.testing.assert_close(vae.losses[0], kl_divergence(z_mean, z_log_var))
        loss = loss_fn(x, reconstructed) + sum(vae.losses)
        grads = gradients(loss, vae.trainable_weights)
        optimizer.apply_gradients(zip(grads, vae.trainable_weights, strict=True))
    assert len(vae.trainable_weights) == 10


def test_the_functional_vae_trains_with_fit():
    # Keras 3 cannot `add_loss` a symbolic tensor (it raises NotImplementedError, and
    # minilib asks for a layer), so the KL term lives in a small layer of the graph.
    class KLDivergence(layers.Layer):
        def call(self, inputs):
            self.add_loss(kl_divergence(*inputs))
            return inputs[0]

    original_inputs = keras.Input(shape=(784,), name="encoder_input")
    x = layers.Dense(64, activation="relu")(original_inputs)
    z_mean = layers.Dense(32, name="z_mean")(x)
    z_log_var = layers.Dense(32, name="z_log_var")(x)
    z = Sampling()((KLDivergence()((z_mean, z_log_var)), z_log_var))
    encoder = keras.Model(inputs=original_inputs, outputs=z, name="encoder")
    latent_inputs = keras.Input(shape=(32,), name="z_sampling")
    x = layers.Dense(64, activation="relu")(latent_inputs)
    decoder = keras.Model(latent_inputs, layers.Dense(784, activation="sigmoid")(x),
                          name="decoder")
    vae = keras.Model(inputs=original_inputs, outputs=decoder(z), name="vae")
    assert encoder.output_shape == (None, 32)

    vae.compile(keras.optimizers.Adam(learning_rate=1e-3), loss=keras.losses.MeanSquaredError())
    flat = next(iter(mnist_batches(batch_size=64, with_labels=False)))[0].numpy()
    history = vae.fit(flat, flat, batch_size=16, epochs=1, verbose=0)
    assert len(vae.losses) == 1 and history.history["loss"][0] > 0


def test_a_hypernetwork_writes_the_weights_of_the_main_network():
    input_dim, classes = 784, 10
    main_network = keras.Sequential([keras.layers.Dense(64, activation=keras.activations.relu),
                                     keras.layers.Dense(classes)])
    for layer in main_network.layers:
        layer.built = True  # no weights of its own: the hypernetwork supplies them
    shapes = [(input_dim, 64), (64,), (64, classes), (classes,)]
    hypernetwork = keras.Sequential([
        keras.layers.Dense(16, activation=keras.activations.relu),
        keras.layers.Dense(sum(int(np.prod(s)) for s in shapes),
                           activation=keras.activations.sigmoid),
    ])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.Adam(learning_rate=1e-4)
    for step, (x, y) in enumerate(mnist_batches(batch_size=1)):
        weights_pred = hypernetwork(x)
        start, pieces = 0, []
        for shape in shapes:
            size = int(np.prod(shape))
            pieces.append(ops.reshape(weights_pred[:, start:start + size], shape))
            start += size
        dense_0, dense_1 = main_network.layers
        dense_0.kernel, dense_0.bias, dense_1.kernel, dense_1.bias = pieces
        loss = loss_fn(y, main_network(x))
        grads = gradients(loss, hypernetwork.trainable_weights)
        optimizer.apply_gradients(zip(grads, hypernetwork.trainable_weights, strict=True))
        if step == 3:
            break
    assert main_network.weights == [] and len(hypernetwork.trainable_weights) == 4
    assert all(g.abs().sum() > 0 for g in grads)  # the loss reached the hypernetwork


KERAS_OPS_SCRIPT = """
import json, sys
import numpy as np
import keras
from keras import ops
a = np.array([[0.5, -1.0], [2.0, 0.25]], "float32")
b = np.array([[1.5, 0.5], [-0.5, 1.0]], "float32")
cube = np.arange(24, dtype="float32").reshape(2, 3, 4)
results = {
    "constant": ops.convert_to_tensor([[5, 2], [1, 3]]),
    "ones": ops.ones((2, 1)), "zeros": ops.zeros((2, 1)),
    "square": ops.square(a), "exp": ops.exp(a), "sqrt": ops.sqrt(ops.abs(a)),
    "matmul": ops.matmul(a, b), "sum0": ops.sum(a, axis=0), "relu": ops.relu(a),
    "greater_equal": ops.greater_equal(a, 0.5), "cast_bool": ops.cast(a, "bool"),
    "mean": ops.mean(a), "reshape": ops.reshape(cube, (4, 6)), "argmax": ops.argmax(a, axis=1),
    "expand_dims": ops.expand_dims(a, 0), "einsum": ops.einsum("bij,jk->bik", cube[:, :, :2], a),
    "randint": keras.random.randint((2, 2), 0, 10, dtype="int32"),
}
out = {k: {"value": ops.convert_to_numpy(v).tolist(), "dtype": str(v.dtype),
           "shape": list(ops.shape(v))} for k, v in results.items()}
out["shape_of"] = list(ops.shape(cube))
json.dump(out, sys.stdout)
"""


@pytest.mark.slow
def test_the_ops_both_intros_use_agree_with_real_keras():
    environment = {**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, "-c", KERAS_OPS_SCRIPT], env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    expected = json.loads(result.stdout.strip().splitlines()[-1])

    a = np.array([[0.5, -1.0], [2.0, 0.25]], "float32")
    b = np.array([[1.5, 0.5], [-0.5, 1.0]], "float32")
    cube = np.arange(24, dtype="float32").reshape(2, 3, 4)
    ours = {
        "constant": ops.convert_to_tensor([[5, 2], [1, 3]]),
        "ones": ops.ones((2, 1)), "zeros": ops.zeros((2, 1)),
        "square": ops.square(a), "exp": ops.exp(a), "sqrt": ops.sqrt(ops.abs(a)),
        "matmul": ops.matmul(a, b), "sum0": ops.sum(a, axis=0), "relu": ops.relu(a),
        "greater_equal": ops.greater_equal(a, 0.5), "cast_bool": ops.cast(a, "bool"),
        "mean": ops.mean(a), "reshape": ops.reshape(cube, (4, 6)),
        "argmax": ops.argmax(a, axis=1), "expand_dims": ops.expand_dims(a, 0),
        "einsum": ops.einsum("bij,jk->bik", cube[:, :, :2], a),
        "randint": keras.random.randint((2, 2), 0, 10, dtype="int32"),
    }
    for name, tensor in ours.items():
        want = expected[name]
        assert str(tensor.dtype) == want["dtype"], name
        assert list(ops.shape(tensor)) == want["shape"], name
        if name != "randint":  # random values differ; the dtype and shape must not
            np.testing.assert_allclose(ops.convert_to_numpy(tensor), np.array(want["value"]),
                                       rtol=1e-6, atol=1e-7, err_msg=name)
    assert list(ops.shape(cube)) == expected["shape_of"]
