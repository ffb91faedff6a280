"""Files written by minilib load in real Keras 3, and Keras's weights files load in minilib.

Real Keras runs in a subprocess (with its torch backend), so that it cannot
disturb minilib's own state in this process.
"""

import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import minilib
from minilib import layers

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="needs keras"),
]

KERAS_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    import keras

    folder = sys.argv[1]
    x = np.load(f"{folder}/x.npy")

    # minilib -> Keras: a whole model, with its optimizer state.
    model = keras.saving.load_model(f"{folder}/minilib.keras")
    np.save(f"{folder}/keras_reads_keras_file.npy", model.predict(x, verbose=0))
    np.save(f"{folder}/keras_iterations.npy", model.optimizer.iterations.numpy())

    def mlp():
        return keras.Sequential([keras.Input(shape=(3,)),
                                 keras.layers.Dense(4, activation="relu"),
                                 keras.layers.Dense(2)])

    # minilib -> Keras: a weights file.
    model = mlp()
    model.load_weights(f"{folder}/minilib.weights.h5")
    np.save(f"{folder}/keras_reads_weights_file.npy", model.predict(x, verbose=0))

    # Keras -> minilib: a weights file.
    model = mlp()
    model.save_weights(f"{folder}/keras.weights.h5")
    np.save(f"{folder}/keras_predictions.npy", model.predict(x, verbose=0))
""")


def mlp():
    return minilib.Sequential([minilib.Input(shape=(3,)), layers.Dense(4, activation="relu"),
                               layers.Dense(2)])


def test_files_travel_between_minilib_and_keras(tmp_path):
    x = np.random.default_rng(0).standard_normal((5, 3)).astype("float32")
    np.save(tmp_path / "x.npy", x)
    model = mlp()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, np.ones((5, 2)), epochs=3, batch_size=5, verbose=0)
    model.save(tmp_path / "minilib.keras")
    model.save_weights(tmp_path / "minilib.weights.h5")
    expected = model.predict(x, verbose=0)

    environment = {**os.environ, "KERAS_BACKEND": "torch"}
    subprocess.run([sys.executable, "-c", KERAS_SCRIPT, str(tmp_path)], env=environment,
                   check=True, capture_output=True, timeout=300)

    np.testing.assert_allclose(np.load(tmp_path / "keras_reads_keras_file.npy"), expected,
                               rtol=1e-6, atol=1e-6)
    assert int(np.load(tmp_path / "keras_iterations.npy")) == 3
    np.testing.assert_allclose(np.load(tmp_path / "keras_reads_weights_file.npy"), expected,
                               rtol=1e-6, atol=1e-6)
    from_keras = mlp()
    from_keras.load_weights(tmp_path / "keras.weights.h5")
    np.testing.assert_allclose(from_keras.predict(x, verbose=0),
                               np.load(tmp_path / "keras_predictions.npy"), rtol=1e-6, atol=1e-6)
