"""`.keras` and `.weights.h5` files travel both ways between minilib and real Keras 3.

The module fixture saves every zoo model with minilib, then runs `keras_side.py`
once in a subprocess (Keras on its torch backend): Keras reads minilib's files
and writes its own. Each test then compares predictions or weights.

Tolerances: predictions agree to 1e-5 (both libraries run the same float32
torch kernels, so differences are rounding only); weights after two more
epochs of training on each side agree to 1e-5.
"""

import importlib.util
import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import minilib
from minilib.saving import load_model
from tests.porting import minilib_side, model_zoo

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("keras") is None,
                       reason="real Keras is not installed (pip install -e '.[bench]')"),
]

HERE = pathlib.Path(__file__).parent
MODELS = [*model_zoo.BUILDERS, "custom"]
TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}


@pytest.fixture(scope="module")
def exchange(tmp_path_factory):
    """The folder with `minilib/`, `keras_reads/` and `keras/`, and minilib's trained weights."""
    folder = tmp_path_factory.mktemp("porting")
    trained_on = minilib_side.write_minilib_files(folder / "minilib")
    environment = {**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, str(HERE / "keras_side.py"), str(folder)],
                            cwd=HERE, env=environment, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"the Keras side failed:\n{result.stderr[-3000:]}"
    return folder, trained_on


def assert_same_outputs(actual, expected_file):
    expected = np.load(expected_file)
    assert len(actual) == len(expected.files)
    for name, array in actual.items():
        np.testing.assert_allclose(array, expected[name], **TOLERANCE)


@pytest.mark.parametrize("name", MODELS)
def test_keras_loads_minilib_model(exchange, name):
    folder, _ = exchange
    assert_same_outputs(np.load(folder / f"keras_reads/{name}.keras.npz"),
                        folder / f"minilib/{name}.npz")


@pytest.mark.parametrize("name", model_zoo.BUILDERS)
def test_keras_loads_minilib_weights(exchange, name):
    folder, _ = exchange
    assert_same_outputs(np.load(folder / f"keras_reads/{name}.weights.npz"),
                        folder / f"minilib/{name}.npz")


@pytest.mark.parametrize("name", MODELS)
def test_minilib_loads_keras_model(exchange, name):
    folder, _ = exchange
    model = load_model(folder / f"keras/{name}.keras", custom_objects={"Shift": minilib_side.SHIFT})
    assert_same_outputs(minilib_side.predictions(model, name), folder / f"keras/{name}.npz")


@pytest.mark.parametrize("name", model_zoo.BUILDERS)
def test_minilib_loads_keras_weights(exchange, name):
    folder, _ = exchange
    model = model_zoo.BUILDERS[name](minilib)
    model.load_weights(folder / f"keras/{name}.weights.h5")
    assert_same_outputs(minilib_side.predictions(model, name), folder / f"keras/{name}.npz")


def test_unregistered_custom_layer_needs_custom_objects(exchange):
    folder, _ = exchange
    with pytest.raises(ValueError, match=r"custom\.keras.*'Shift'.*custom_objects"):
        load_model(folder / "keras/custom.keras")


@pytest.mark.parametrize("optimizer", minilib_side.OPTIMIZERS)
def test_keras_reads_minilib_compile_config(exchange, optimizer):
    folder, _ = exchange
    facts = json.loads((folder / "keras_reads/facts.json").read_text())[optimizer]
    assert facts["optimizer"] == optimizer
    assert facts["learning_rate"] == 2**-7
    assert facts["iterations"] == 8  # 2 epochs of 4 batches
    assert facts["loss"]["class_name"] == "SparseCategoricalCrossentropy"
    assert facts["loss"]["config"]["from_logits"] is True


@pytest.mark.parametrize("optimizer", minilib_side.OPTIMIZERS)
def test_minilib_reads_keras_compile_config(exchange, optimizer):
    folder, _ = exchange
    model = load_model(folder / f"keras/classifier_{optimizer}.keras")
    assert type(model.optimizer) is getattr(minilib.optimizers, optimizer)
    assert model.optimizer.get_config()["learning_rate"] == 2**-7
    assert int(model.optimizer.iterations) == 8
    assert isinstance(model.loss, minilib.losses.SparseCategoricalCrossentropy)
    assert model.loss.get_config()["from_logits"] is True
    x, y = model_zoo.training_data()
    assert set(model.evaluate(x, y, verbose=0, return_dict=True)) == {"loss", "accuracy"}


@pytest.mark.parametrize("optimizer", minilib_side.OPTIMIZERS)
def test_keras_continues_training_where_minilib_stopped(exchange, optimizer):
    folder, trained_on = exchange
    model = model_zoo.classifier(minilib, minilib_side.OPTIMIZERS[optimizer]())
    model.load_weights(folder / f"keras_reads/classifier_{optimizer}_trained_on.weights.h5")
    for keras_weight, minilib_weight in zip(model.get_weights(), trained_on[optimizer],
                                            strict=True):
        np.testing.assert_allclose(keras_weight, minilib_weight, **TOLERANCE)


@pytest.mark.parametrize("optimizer", minilib_side.OPTIMIZERS)
def test_minilib_continues_training_where_keras_stopped(exchange, optimizer):
    folder, _ = exchange
    model = load_model(folder / f"keras/classifier_{optimizer}.keras")
    model_zoo.train(model, 2)
    keras_trained_on = model_zoo.classifier(minilib, minilib_side.OPTIMIZERS[optimizer]())
    keras_trained_on.load_weights(folder / f"keras/classifier_{optimizer}_trained_on.weights.h5")
    for minilib_weight, keras_weight in zip(model.get_weights(), keras_trained_on.get_weights(),
                                            strict=True):
        np.testing.assert_allclose(minilib_weight, keras_weight, **TOLERANCE)


def test_unknown_layer_names_the_class_the_file_and_the_alternatives(exchange):
    folder, _ = exchange
    with pytest.raises(ValueError) as error:
        load_model(folder / "keras/unknown_layer.keras")
    message = str(error.value)
    assert "UpSampling3D" in message and "unknown_layer.keras" in message
    assert "Conv2D" in message and "MultiHeadAttention" in message  # what minilib has


def test_keras_only_feature_in_use_is_refused(exchange):
    folder, _ = exchange
    with pytest.raises(ValueError, match=r"ema_optimizer\.keras.*Adam.*use_ema=True"):
        load_model(folder / "keras/ema_optimizer.keras")
