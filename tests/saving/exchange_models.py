"""Your own objects, built by the same code in minilib and in Keras, for the exchange tests.

`custom_objects(lib)` registers an activation function and a layer under the
same names in both libraries ("exchange>squash", "exchange>Gain"), so a file
that names them loads on either side. Together with `tests/porting/model_zoo`
(every layer minilib has), these are the models that `keras_exchange.py` and
`conftest.py` pass between the two libraries as JSON and as legacy `.h5` files.
This module never imports minilib or Keras itself.
"""


def custom_objects(lib):
    """`(squash, Gain)`, registered with `lib` under package "exchange"."""

    @lib.saving.register_keras_serializable(package="exchange", name="squash")
    def squash(x):
        return x / (1.0 + lib.ops.abs(x))

    @lib.saving.register_keras_serializable(package="exchange")
    class Gain(lib.layers.Layer):
        def __init__(self, factor=1.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.gain = self.add_weight(shape=(input_shape[-1],), initializer="random_normal")

        def call(self, inputs):
            return inputs * self.gain * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    return squash, Gain


def custom_model(lib, squash, gain):
    """A model that uses both: it takes `model_zoo.inputs("custom")`, shape (4, 5)."""
    L = lib.layers
    return lib.Sequential([lib.Input(shape=(5,)), L.Dense(4, activation=squash, name="squashed"),
                           gain(factor=2.0, name="gain"), L.Dense(2, name="out")],
                          name="custom")
