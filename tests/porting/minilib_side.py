"""The minilib half of the porting tests: the files that `keras_side` reads.

`write_minilib_files(folder)` saves every zoo model (`.keras`, `.weights.h5`
and its predictions), the custom-layer model, and a compiled classifier per
optimizer, trained for two epochs; it returns the weights each classifier has
after two epochs more, which Keras must reach too when it continues from the file.
"""

import os

import numpy as np

import minilib
from tests.porting import model_zoo

SCALE, SHIFT = model_zoo.custom_layer_classes(minilib)
OPTIMIZERS = {"Adam": lambda: minilib.optimizers.Adam(2**-7),
              "AdamW": lambda: minilib.optimizers.AdamW(2**-7, weight_decay=0.01),
              "RMSprop": lambda: minilib.optimizers.RMSprop(2**-7, momentum=0.5),
              "SGD": lambda: minilib.optimizers.SGD(2**-7, momentum=0.9, nesterov=True),
              "Adagrad": lambda: minilib.optimizers.Adagrad(2**-7)}


def predictions(model, name):
    outputs = model(model_zoo.inputs(name), training=False)
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    return {f"out{i}": minilib.ops.convert_to_numpy(output) for i, output in enumerate(outputs)}


def write_minilib_files(folder):
    os.makedirs(folder, exist_ok=True)
    minilib.utils.set_random_seed(0)
    for name, build in model_zoo.BUILDERS.items():
        model = build(minilib)
        model(model_zoo.inputs(name), training=True)  # moves BatchNormalization's statistics
        model.save(f"{folder}/{name}.keras")
        model.save_weights(f"{folder}/{name}.weights.h5")
        np.savez(f"{folder}/{name}.npz", **predictions(model, name))
    model = model_zoo.custom(minilib, SCALE, SHIFT)
    model.save(f"{folder}/custom.keras")
    np.savez(f"{folder}/custom.npz", **predictions(model, "custom"))
    trained_on = {}
    for optimizer, make in OPTIMIZERS.items():
        model = model_zoo.classifier(minilib, make())
        model_zoo.train(model, 2)
        model.save(f"{folder}/classifier_{optimizer}.keras")
        model_zoo.train(model, 2)
        trained_on[optimizer] = model.get_weights()
    return trained_on
