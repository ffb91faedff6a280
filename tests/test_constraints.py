import numpy as np
import pytest
import torch

import minilib
from minilib import constraints


def test_non_neg_is_reapplied_after_every_training_step():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3)).astype("float32")
    y = x @ np.array([[-1.0], [2.0], [-3.0]], dtype="float32")
    model = minilib.Sequential([minilib.Input(shape=(3,)),
                                minilib.layers.Dense(1, kernel_constraint="non_neg")])
    model.compile(optimizer=minilib.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, epochs=5, verbose=0)
    kernel = model.layers[0].kernel.numpy()
    assert (kernel >= 0).all()
    assert kernel[1, 0] > 1.0  # the positive weight was still learned


def test_max_norm_matches_torch_renorm_of_columns():
    w = torch.randn(5, 4) * 3
    ours = constraints.MaxNorm(max_value=2.0, axis=0)(w)
    expected = torch.renorm(w, p=2, dim=1, maxnorm=2.0)  # columns are dim 1 in torch's terms
    torch.testing.assert_close(ours, expected, atol=1e-5, rtol=1e-5)


def test_unit_norm_and_registry():
    w = torch.randn(6, 3)
    norms = torch.linalg.vector_norm(constraints.get("unit_norm")(w), dim=0)
    torch.testing.assert_close(norms, torch.ones(3), atol=1e-5, rtol=1e-5)
    config = constraints.serialize(constraints.MaxNorm(3, axis=1))
    assert constraints.deserialize(config).get_config() == {"max_value": 3, "axis": 1}
    with pytest.raises(ValueError, match="Unknown constraint 'positive'.*max_norm"):
        constraints.get("positive")


def test_dense_config_keeps_its_constraints():
    dense = minilib.layers.Dense(2, kernel_constraint=constraints.MaxNorm(1.5))
    clone = minilib.layers.Dense.from_config(dense.get_config())
    assert isinstance(clone.kernel_constraint, constraints.MaxNorm)
    assert clone.kernel_constraint.max_value == 1.5
