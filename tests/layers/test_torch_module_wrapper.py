"""TorchModuleWrapper: torch modules inside minilib models, trained by minilib."""

import numpy as np
import pytest
import torch

import minilib
from minilib import layers
from minilib.layers.core.torch_module_wrapper import TorchModuleWrapper


def conv_model():
    """Dense -> wrapped Conv1d -> wrapped Linear + BatchNorm1d -> Dense, functional."""
    minilib.utils.set_random_seed(0)
    inputs = minilib.Input(shape=(10, 3))
    x = layers.Dense(4)(inputs)                                   # (batch, 10, 4)
    x = layers.Permute((2, 1))(x)                                 # channels first for torch
    x = TorchModuleWrapper(torch.nn.Conv1d(4, 6, 3), name="conv")(x)   # (batch, 6, 8)
    x = layers.Flatten()(x)
    x = TorchModuleWrapper(torch.nn.Sequential(torch.nn.Linear(48, 8), torch.nn.BatchNorm1d(8),
                                               torch.nn.ReLU()), name="block")(x)
    return minilib.Model(inputs, layers.Dense(1)(x))


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 10, 3)).astype("float32")
    return x, x.sum(axis=(1, 2)).reshape(-1, 1) / 10


def test_wrapped_parameters_are_minilib_weights():
    model = conv_model()
    conv, block = model.get_layer("conv"), model.get_layer("block")
    assert [w.path for w in conv.weights] == ["conv/weight", "conv/bias"]
    assert all(isinstance(w, minilib.Variable) for w in model.weights)
    assert [w.name for w in block.trainable_weights] == ["0_weight", "0_bias", "1_weight",
                                                         "1_bias"]
    assert [w.name for w in block.non_trainable_weights] == [
        "1_running_mean", "1_running_var", "1_num_batches_tracked"]
    assert conv.module.weight is conv.weights[0]  # the module computes with the Variable
    assert conv.output.shape == (None, 6, 8)
    # torch sees each tensor once, under the wrapper.
    names = [name for name, _ in model.named_parameters()]
    assert "conv.weight" in names and len(names) == len(set(map(id, model.parameters())))


def test_fit_trains_the_wrapped_module(data):
    model = conv_model()
    model.compile(optimizer="adam", loss="mse")
    conv, block = model.get_layer("conv"), model.get_layer("block")
    before = [w.numpy() for w in conv.weights + block.weights]
    history = model.fit(*data, epochs=5, batch_size=16, verbose=0)
    after = [w.numpy() for w in conv.weights + block.weights]
    assert all(not np.allclose(a, b) for a, b in zip(before, after, strict=True))
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert int(block.module[1].num_batches_tracked) == 20  # BatchNorm saw each step


def test_training_flag_switches_the_module_mode(data):
    layer = TorchModuleWrapper(torch.nn.Dropout(0.5))
    x = np.ones((4, 100), dtype="float32")
    assert torch.equal(layer(x), torch.ones(4, 100))
    assert (layer(x, training=True) == 0).any()


def test_frozen_wrapper_is_not_trained(data):
    model = conv_model()
    model.get_layer("conv").trainable = False
    model.compile(optimizer="adam", loss="mse")
    before = model.get_layer("conv").get_weights()
    model.fit(*data, epochs=1, verbose=0)
    for old, new in zip(before, model.get_layer("conv").get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_weights_save_and_load_but_the_config_is_refused(data, tmp_path):
    model = conv_model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(*data, epochs=1, verbose=0)
    model.save_weights(tmp_path / "m.weights.h5")
    fresh = conv_model()
    fresh.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_array_equal(fresh.predict(data[0], verbose=0),
                                  model.predict(data[0], verbose=0))
    with pytest.raises(NotImplementedError, match="Python code"):
        model.save(tmp_path / "m.keras")


def test_output_shape_and_errors():
    layer = TorchModuleWrapper(torch.nn.Linear(3, 2), output_shape=(2,))
    assert layer.compute_output_shape((None, 3)) == (None, 2)
    with pytest.raises(TypeError, match="torch.nn.Module"):
        TorchModuleWrapper(lambda x: x)
    with pytest.raises(ValueError, match="lazy module"):
        TorchModuleWrapper(torch.nn.LazyLinear(4))


def test_wrapped_lstm_keeps_its_fused_weights_in_sync():
    lstm = torch.nn.LSTM(3, 4, batch_first=True)
    layer = TorchModuleWrapper(lstm)
    x = torch.ones(2, 5, 3)
    layer.weights[0].assign(np.zeros(tuple(layer.weights[0].shape)))
    np.testing.assert_allclose(layer(x)[0].detach().numpy(), lstm(x)[0].detach().numpy())
    assert lstm._flat_weights[0] is layer.weights[0]
