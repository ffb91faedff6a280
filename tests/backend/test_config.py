"""Device and dtype settings: where variables and batches go."""

import numpy as np
import pytest
import torch

import minilib


@pytest.fixture(autouse=True)
def restore_device():
    before = minilib.config.device()
    yield
    minilib.config.set_device(str(before))


def test_default_device_is_cuda_when_available_else_cpu():
    import importlib

    import minilib.backend.config as config_module

    fresh = importlib.reload(config_module)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert fresh.device().type == expected


def test_set_device_cpu_puts_new_weights_and_batches_on_cpu():
    minilib.config.set_device("cpu")
    model = minilib.Sequential([minilib.Input(shape=(3,)), minilib.layers.Dense(2)])
    assert all(w.device.type == "cpu" for w in model.weights)
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)


def test_cuda_device_works_or_is_refused_clearly():
    if torch.cuda.is_available():
        minilib.config.set_device("cuda")
        model = minilib.Sequential([minilib.Input(shape=(3,)), minilib.layers.Dense(2)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.ones((8, 3)), np.ones((8, 2)), verbose=0)
        assert all(w.device.type == "cuda" for w in model.weights)
        assert isinstance(model.predict(np.ones((2, 3)), verbose=0), np.ndarray)
    else:
        with pytest.raises(ValueError, match="no CUDA device"):
            minilib.config.set_device("cuda")


def test_unknown_floatx_is_refused():
    with pytest.raises(ValueError, match="set_floatx"):
        minilib.config.set_floatx("float8")


def test_to_torch_dtype_takes_numpy_scalar_types_and_python_types():
    import numpy as np

    from minilib.backend import to_torch_dtype

    assert [to_torch_dtype(d) for d in (np.int8, np.float64, np.dtype("uint8"), "float16")] \
        == [torch.int8, torch.float64, torch.uint8, torch.float16]
    # Python's types as Keras reads them: float is float32, int is int64 (torch backend)
    assert [to_torch_dtype(d) for d in (float, int, bool)] == [torch.float32, torch.int64,
                                                                torch.bool]
