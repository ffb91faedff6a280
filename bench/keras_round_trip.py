"""A model's round trip: minilib -> Keras -> minilib, through `.keras` files.

    .venv/bin/python bench/keras_round_trip.py

1. minilib trains a small classifier on scikit-learn's 8x8 digits and saves it;
2. real Keras 3 (on its torch backend, in a child process) loads the file, gets
   the same test accuracy, trains it further and saves it again;
3. minilib loads Keras's file: same accuracy as Keras reported.

The optimizer's state travels inside the file too, so Keras continues Adam's
run exactly where minilib stopped. Needs Keras: `pip install -e '.[bench]'`.
"""

import os
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import minilib as keras  # the same code would run with real Keras

KERAS_STEP = textwrap.dedent("""
    import sys
    import keras
    import numpy as np

    folder = sys.argv[1]
    data = np.load(f"{folder}/digits.npz")
    model = keras.saving.load_model(f"{folder}/minilib.keras")
    print(f"2. Keras loads it:              test accuracy "
          f"{model.evaluate(data['x_test'], data['y_test'], verbose=0)[1]:.4f} "
          f"(Adam at step {int(model.optimizer.iterations)})")
    model.fit(data["x_train"], data["y_train"], epochs=3, batch_size=32, verbose=0)
    print(f"   Keras trains 3 epochs more:  test accuracy "
          f"{model.evaluate(data['x_test'], data['y_test'], verbose=0)[1]:.4f}")
    model.save(f"{folder}/keras.keras")
""")


def digits():
    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype("float32")  # pixel values 0..16 -> 0..1
    return train_test_split(x, y.astype("int32"), test_size=0.25, random_state=0)


def accuracy(model, x, y):
    return model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"]


def main():
    x_train, x_test, y_train, y_test = digits()
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=3, batch_size=32, verbose=0)
    print(f"1. minilib trains 3 epochs:     test accuracy {accuracy(model, x_test, y_test):.4f}")

    with tempfile.TemporaryDirectory() as folder:
        np.savez(f"{folder}/digits.npz", x_train=x_train, y_train=y_train, x_test=x_test,
                 y_test=y_test)
        model.save(f"{folder}/minilib.keras")
        subprocess.run([sys.executable, "-c", KERAS_STEP, folder], check=True,
                       env={**os.environ, "KERAS_BACKEND": "torch"})
        model = keras.saving.load_model(f"{folder}/keras.keras")
    print(f"3. minilib loads Keras's file:  test accuracy {accuracy(model, x_test, y_test):.4f} "
          f"(Adam at step {int(model.optimizer.iterations)})")


if __name__ == "__main__":
    main()
