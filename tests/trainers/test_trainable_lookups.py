"""When a change to `trainable` reaches training: at the next fit(), as in Keras.

`fit` looks the trainable weights up once per run (`minilib/trainers/cached_lookups.py`).
Freezing acts at once anyway (a frozen weight gets no gradient); a layer unfrozen during
a run is trained from the next `fit()` on, once `compile()` has given the optimizer its
weights, as Keras's transfer-learning guide does.
"""

import numpy as np

import minilib
from minilib import layers


def model_with_frozen_first_layer():
    minilib.utils.set_random_seed(0)
    model = minilib.Sequential([minilib.Input((3,)), layers.Dense(4), layers.Dense(1)])
    model.layers[0].trainable = False
    compile_sgd(model)
    return model


def compile_sgd(model):
    model.compile(optimizer=minilib.optimizers.SGD(learning_rate=0.1), loss="mse")


def data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((16, 3)).astype("float32"), np.ones((16, 1), "float32")


class UnfreezeAfterFirstBatch(minilib.callbacks.Callback):
    def __init__(self, layer, then_evaluate_on=None):
        super().__init__()
        self.layer = layer
        self.then_evaluate_on = then_evaluate_on

    def on_train_batch_end(self, batch, logs=None):
        if batch == 0:
            self.layer.trainable = True
            if self.then_evaluate_on is not None:  # a run of its own, inside fit's
                self.model.evaluate(*self.then_evaluate_on, verbose=0)


def test_a_layer_unfrozen_during_fit_trains_from_the_next_fit_on():
    model, (x, y) = model_with_frozen_first_layer(), data()
    first, head = model.layers
    kernel_before, head_before = first.kernel.numpy().copy(), head.kernel.numpy().copy()
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[UnfreezeAfterFirstBatch(first)])
    np.testing.assert_array_equal(first.kernel.numpy(), kernel_before)
    assert not np.array_equal(head.kernel.numpy(), head_before)

    compile_sgd(model)
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert not np.array_equal(first.kernel.numpy(), kernel_before)


def test_an_evaluate_inside_fit_leaves_the_lookup_of_fit_alone():
    model, (x, y) = model_with_frozen_first_layer(), data()
    first = model.layers[0]
    kernel_before = first.kernel.numpy().copy()
    unfreeze = UnfreezeAfterFirstBatch(first, then_evaluate_on=(x, y))
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[unfreeze])
    # evaluate looked the (more) trainable weights up for itself; fit kept its own list,
    # the one the optimizer was built for
    np.testing.assert_array_equal(first.kernel.numpy(), kernel_before)
    assert np.all(np.isfinite(history.history["loss"]))


def test_a_train_step_called_by_hand_sees_a_frozen_layer_at_once():
    model, (x, y) = model_with_frozen_first_layer(), data()
    model.layers[0].trainable = True
    compile_sgd(model)
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    first, head = model.layers
    first.trainable = False
    kernel_before, head_before = first.kernel.numpy().copy(), head.kernel.numpy().copy()
    model.train_step((minilib.ops.convert_to_tensor(x), minilib.ops.convert_to_tensor(y)))
    np.testing.assert_array_equal(first.kernel.numpy(), kernel_before)
    assert not np.array_equal(head.kernel.numpy(), head_before)
