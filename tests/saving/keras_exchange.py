"""The real-Keras half of the JSON and legacy-H5 exchange tests.

    KERAS_BACKEND=torch python keras_exchange.py DIR

One run does all the Keras work, so that the tests start Keras only once:

1. read what minilib wrote in `DIR/minilib/`: each model as `to_json()` text
   plus a `.weights.h5` file, and as a legacy `.h5` file; predict with what
   Keras rebuilt, into `DIR/keras_reads/NAME.json.npz` and `NAME.h5.npz`, and
   note what Keras found in the compiled classifier in `classifier_facts.json`;
2. write the same kinds of files from Keras into `DIR/keras/`, with the
   predictions (`NAME.npz`) they must give, and the trained classifier's
   optimizer variables (`classifier_optimizer.npz`) and evaluation
   (`classifier_evaluation.json`).

Predictions are `out0, out1, ...`, one per model output. This script never imports minilib.
"""

import json
import logging
import os
import sys
import warnings

import keras
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "porting"))  # the zoo lives beside the porting tests

import exchange_models  # noqa: E402
import model_zoo  # noqa: E402

# Keras warns at every legacy save and load; those warnings are expected here.
warnings.filterwarnings("ignore")
logging.getLogger("absl").setLevel(logging.ERROR)


def predictions(model, name):
    outputs = model(model_zoo.inputs(name), training=False)
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    return {f"out{i}": keras.ops.convert_to_numpy(output) for i, output in enumerate(outputs)}


def read_minilib_files(source, target):
    for name in [*model_zoo.BUILDERS, "custom"]:
        with open(f"{source}/{name}.json") as file:
            model = keras.models.model_from_json(file.read())
        model.load_weights(f"{source}/{name}.weights.h5")
        np.savez(f"{target}/{name}.json.npz", **predictions(model, name))
        model = keras.models.load_model(f"{source}/{name}.h5")
        np.savez(f"{target}/{name}.h5.npz", **predictions(model, name))
    model = keras.models.load_model(f"{source}/classifier.h5")
    facts = {"compiled": model.compiled, "optimizer": type(model.optimizer).__name__,
             "learning_rate": float(model.optimizer.learning_rate),
             "iterations": int(model.optimizer.iterations),
             "loss": type(model.loss).__name__}
    with open(f"{target}/classifier_facts.json", "w") as file:
        json.dump(facts, file)


def write_keras_files(target, squash, gain):
    builders = {**model_zoo.BUILDERS, "custom": lambda lib: exchange_models.custom_model(
        lib, squash, gain)}
    for name, build in builders.items():
        model = build(keras)
        model(model_zoo.inputs(name), training=True)  # moves BatchNormalization's statistics
        with open(f"{target}/{name}.json", "w") as file:
            file.write(model.to_json())
        model.save_weights(f"{target}/{name}.weights.h5")
        model.save(f"{target}/{name}.h5")
        np.savez(f"{target}/{name}.npz", **predictions(model, name))
    model = model_zoo.classifier(keras, keras.optimizers.Adam(2**-7))
    model_zoo.train(model, 2)
    model.save(f"{target}/classifier.h5")
    np.savez(f"{target}/classifier_optimizer.npz",
             *[keras.ops.convert_to_numpy(v) for v in model.optimizer.variables])
    with open(f"{target}/classifier_evaluation.json", "w") as file:
        json.dump(model.evaluate(*model_zoo.training_data(), return_dict=True, verbose=0), file)


def main(folder):
    keras.utils.set_random_seed(0)
    squash, gain = exchange_models.custom_objects(keras)
    for subfolder in ("keras_reads", "keras"):
        os.makedirs(f"{folder}/{subfolder}", exist_ok=True)
    read_minilib_files(f"{folder}/minilib", f"{folder}/keras_reads")
    write_keras_files(f"{folder}/keras", squash, gain)


if __name__ == "__main__":
    main(sys.argv[1])
