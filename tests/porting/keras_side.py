"""The real-Keras half of the porting tests: `KERAS_BACKEND=torch python keras_side.py DIR`.

One run does all the Keras work, so that the tests start Keras only once:

1. read what minilib wrote in `DIR/minilib/` (see `minilib_side`), predict
   with it into `DIR/keras_reads/`, and continue training the compiled classifiers;
2. write Keras's own files into `DIR/keras/` for minilib to read, with the
   predictions they must give.

Predictions go to `.npz` files (`out0, out1, ...`, one per model output), facts
about the compiled models minilib wrote to `facts.json`. This script never imports minilib.
"""

import json
import os
import sys

import keras
import model_zoo
import numpy as np

OPTIMIZERS = {"Adam": lambda: keras.optimizers.Adam(2**-7),
              "AdamW": lambda: keras.optimizers.AdamW(2**-7, weight_decay=0.01),
              "RMSprop": lambda: keras.optimizers.RMSprop(2**-7, momentum=0.5),
              "SGD": lambda: keras.optimizers.SGD(2**-7, momentum=0.9, nesterov=True),
              "Adagrad": lambda: keras.optimizers.Adagrad(2**-7)}


def predictions(model, name):
    outputs = model(model_zoo.inputs(name), training=False)
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    return {f"out{i}": keras.ops.convert_to_numpy(output) for i, output in enumerate(outputs)}


def read_minilib_files(source, target, shift):
    for name, build in model_zoo.BUILDERS.items():
        model = keras.saving.load_model(f"{source}/{name}.keras")
        np.savez(f"{target}/{name}.keras.npz", **predictions(model, name))
        model = build(keras)
        model.load_weights(f"{source}/{name}.weights.h5")
        np.savez(f"{target}/{name}.weights.npz", **predictions(model, name))
    model = keras.saving.load_model(f"{source}/custom.keras", custom_objects={"Shift": shift})
    np.savez(f"{target}/custom.keras.npz", **predictions(model, "custom"))
    facts = {}
    for optimizer in OPTIMIZERS:
        model = keras.saving.load_model(f"{source}/classifier_{optimizer}.keras")
        facts[optimizer] = {
            "optimizer": type(model.optimizer).__name__,
            "learning_rate": float(model.optimizer.learning_rate),
            "iterations": int(model.optimizer.iterations),
            "loss": keras.saving.serialize_keras_object(model.loss)}
        model_zoo.train(model, 2)
        model.save_weights(f"{target}/classifier_{optimizer}_trained_on.weights.h5")
    with open(f"{target}/facts.json", "w") as file:
        json.dump(facts, file)


def write_keras_files(target, scale, shift):
    for name, build in model_zoo.BUILDERS.items():
        model = build(keras)
        model(model_zoo.inputs(name), training=True)  # moves BatchNormalization's statistics
        model.save(f"{target}/{name}.keras")
        model.save_weights(f"{target}/{name}.weights.h5")
        np.savez(f"{target}/{name}.npz", **predictions(model, name))
    model = model_zoo.custom(keras, scale, shift)
    model.save(f"{target}/custom.keras")
    np.savez(f"{target}/custom.npz", **predictions(model, "custom"))
    for optimizer, make in OPTIMIZERS.items():
        model = model_zoo.classifier(keras, make())
        model_zoo.train(model, 2)
        model.save(f"{target}/classifier_{optimizer}.keras")
        model_zoo.train(model, 2)
        model.save_weights(f"{target}/classifier_{optimizer}_trained_on.weights.h5")
    # Two files minilib must refuse, with a clear message.
    keras.Sequential([keras.Input(shape=(4, 4, 4, 1)), keras.layers.UpSampling3D(2)]).save(
        f"{target}/unknown_layer.keras")
    model_zoo.classifier(keras, keras.optimizers.Adam(use_ema=True)).save(
        f"{target}/ema_optimizer.keras")


def main(folder):
    keras.utils.set_random_seed(0)
    scale, shift = model_zoo.custom_layer_classes(keras)
    for subfolder in ("keras_reads", "keras"):
        os.makedirs(f"{folder}/{subfolder}", exist_ok=True)
    if os.path.isdir(f"{folder}/minilib"):
        read_minilib_files(f"{folder}/minilib", f"{folder}/keras_reads", shift)
    write_keras_files(f"{folder}/keras", scale, shift)


if __name__ == "__main__":
    main(sys.argv[1])
