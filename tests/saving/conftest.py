"""The exchange with real Keras shared by `test_cloning_and_json` and `test_legacy_h5`.

The `keras_exchange` fixture saves every model of `tests/porting/model_zoo`, and
`exchange_models.custom_model`, with minilib, as `to_json()` text plus a weights
file and as a legacy `.h5` file; then it runs `keras_exchange.py` once in a
subprocess (Keras on its torch backend), which reads those files and writes its own.
"""

import importlib.util
import os
import pathlib
import subprocess
import sys
import warnings

import numpy as np
import pytest

import minilib
from tests.porting import model_zoo
from tests.saving import exchange_models

HERE = pathlib.Path(__file__).parent
EXCHANGED = [*model_zoo.BUILDERS, "custom"]
# Both libraries run the same float32 torch kernels: differences are rounding only.
TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}

SQUASH, GAIN = exchange_models.custom_objects(minilib)


def predictions(model, name):
    outputs = model(model_zoo.inputs(name), training=False)
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    return {f"out{i}": minilib.ops.convert_to_numpy(output) for i, output in enumerate(outputs)}


def assert_same_outputs(actual, expected_file):
    expected = np.load(expected_file)
    assert sorted(actual) == sorted(expected.files)
    for name, array in actual.items():
        np.testing.assert_allclose(array, expected[name], **TOLERANCE)


def build(name):
    if name == "custom":
        return exchange_models.custom_model(minilib, SQUASH, GAIN)
    return model_zoo.BUILDERS[name](minilib)


def write_minilib_files(folder):
    os.makedirs(folder)
    minilib.utils.set_random_seed(0)
    for name in EXCHANGED:
        model = build(name)
        model(model_zoo.inputs(name), training=True)  # moves BatchNormalization's statistics
        (folder / f"{name}.json").write_text(model.to_json())
        model.save_weights(folder / f"{name}.weights.h5")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the legacy-format warning
            model.save(folder / f"{name}.h5")
        np.savez(folder / f"{name}.npz", **predictions(model, name))
    model = model_zoo.classifier(minilib, minilib.optimizers.Adam(2**-7))
    model_zoo.train(model, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(folder / "classifier.h5")


@pytest.fixture(scope="session")
def keras_exchange(tmp_path_factory):
    """The folder with `minilib/` (minilib's files), `keras_reads/` and `keras/`."""
    if importlib.util.find_spec("keras") is None:
        pytest.fail("real Keras is not installed (pip install -e '.[bench]')")
    folder = tmp_path_factory.mktemp("exchange")
    write_minilib_files(folder / "minilib")
    environment = {**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, str(HERE / "keras_exchange.py"), str(folder)],
                            cwd=HERE, env=environment, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"the Keras side failed:\n{result.stderr[-3000:]}"
    return folder
