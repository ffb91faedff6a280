"""A minilib model is a torch.nn.Module: plain PyTorch code can train and save it."""

import numpy as np
import torch

import minilib
from minilib import layers
from minilib.layers.core.torch_module_wrapper import TorchModuleWrapper


def make_model():
    # state_dict() keys are the layers' names (`dense_2.kernel`), and automatic
    # names count up during a session: start the count again so that a fresh
    # model gets the same keys.
    minilib.utils.clear_session()
    return minilib.Sequential([
        minilib.Input(shape=(4,)),
        layers.Dense(16, activation="relu"),
        TorchModuleWrapper(torch.nn.Linear(16, 8)),
        layers.BatchNormalization(),
        layers.Dense(1),
    ])


def test_plain_pytorch_loop_then_state_dict_round_trip(tmp_path):
    minilib.utils.set_random_seed(0)
    x = torch.randn(128, 4)
    y = x @ torch.tensor([[1.0], [-1.0], [0.5], [2.0]])
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    first_loss = None
    for _ in range(30):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x, training=True), y)
        loss.backward()
        optimizer.step()
        first_loss = first_loss or float(loss.detach())
    assert float(loss.detach()) < first_loss / 2

    torch.save(model.state_dict(), tmp_path / "model.pt")
    fresh = make_model()
    fresh.load_state_dict(torch.load(tmp_path / "model.pt"))
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
    assert not np.array_equal(make_model().predict(x, verbose=0), model.predict(x, verbose=0))
