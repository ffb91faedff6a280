"""Finding losses by name, saving and restoring them, and `compile(loss="crossentropy")`."""

import json

import numpy as np
import pytest

from minilib import losses


@pytest.mark.parametrize("name, expected", [
    ("mse", losses.mean_squared_error),
    ("MSE", losses.mean_squared_error),
    ("mean_squared_error", losses.mean_squared_error),
    ("mae", losses.mean_absolute_error),
    ("mape", losses.mean_absolute_percentage_error),
    ("kld", losses.kl_divergence),
    ("bce", losses.binary_crossentropy),
    ("huber", losses.huber),
    ("binary_crossentropy", losses.binary_crossentropy),
    ("categorical_crossentropy", losses.categorical_crossentropy),
    ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
])
def test_function_names_give_functions(name, expected):
    assert losses.get(name) is expected


@pytest.mark.parametrize("name", ["MeanSquaredError", "MeanAbsoluteError", "Huber",
                                  "BinaryCrossentropy", "CategoricalCrossentropy",
                                  "SparseCategoricalCrossentropy", "KLDivergence", "Hinge",
                                  "CosineSimilarity", "MeanAbsolutePercentageError"])
def test_class_names_give_fresh_instances(name):
    loss = losses.get(name)
    assert type(loss) is getattr(losses, name)
    assert losses.get(name) is not loss


def test_callables_classes_and_instances():
    def my_loss(y_true, y_pred):
        return (y_true - y_pred) ** 2

    instance = losses.Huber(delta=2.0)
    assert losses.get(my_loss) is my_loss
    assert losses.get(instance) is instance
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    assert losses.get(None) is None


def test_config_dict():
    loss = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(loss, losses.CategoricalCrossentropy) and loss.from_logits


def test_unknown_name_lists_the_valid_names():
    with pytest.raises(ValueError) as info:
        losses.get("msee")
    message = str(info.value)
    assert message.startswith("Unknown loss 'msee'. Did you mean 'mse'?")
    for name in ("mean_squared_error", "SparseCategoricalCrossentropy", "huber"):
        assert name in message


def test_not_a_loss():
    with pytest.raises(ValueError, match="Could not interpret loss identifier 3"):
        losses.get(3)


NON_DEFAULT = [
    losses.MeanSquaredError(reduction="sum", name="my_mse"),
    losses.MeanAbsoluteError(reduction=None),
    losses.Huber(delta=0.3),
    losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, axis=-1),
    losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2),
    losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1),
    losses.KLDivergence(),
    losses.Hinge(),
    losses.CosineSimilarity(axis=1),
    losses.MeanAbsolutePercentageError(),
    losses.LossFunctionWrapper(losses.huber, name="wrapped", delta=3.0),
]


@pytest.mark.parametrize("loss", NON_DEFAULT, ids=lambda loss: type(loss).__name__)
def test_serialize_round_trip(loss):
    config = json.loads(json.dumps(losses.serialize(loss)))   # must be plain JSON
    restored = losses.deserialize(config)
    assert type(restored) is type(loss)
    assert restored.get_config() == loss.get_config()
    assert type(loss).from_config(loss.get_config()).get_config() == loss.get_config()
    y_true, y_pred = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.3, 0.8], [0.6, 0.1]])
    if isinstance(loss, losses.SparseCategoricalCrossentropy):
        y_true = np.array([1, -1])
    np.testing.assert_allclose(restored(y_true, y_pred), loss(y_true, y_pred))


def test_serialize_functions_by_name():
    config = losses.serialize(losses.mean_squared_error)
    assert config["config"] == "mean_squared_error"
    assert losses.deserialize(config) is losses.mean_squared_error


def test_deserialize_custom_objects():
    def my_loss(y_true, y_pred):
        return (y_true - y_pred) ** 2

    assert losses.deserialize(losses.serialize(my_loss), {"my_loss": my_loss}) is my_loss


def test_default_names():
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.Huber().name == "huber_loss"
    assert losses.SparseCategoricalCrossentropy().name == "sparse_categorical_crossentropy"


@pytest.mark.parametrize("true_shape, pred_shape, kind, expected", [
    ((8, 1), (8, 1), "binary", losses.binary_crossentropy),
    ((8,), (8, 1), "binary", losses.binary_crossentropy),
    ((8,), (8, 10), "sparse", losses.sparse_categorical_crossentropy),
    ((8, 1), (8, 10), "sparse", losses.sparse_categorical_crossentropy),
    ((8, 5), (8, 5, 10), "sparse", losses.sparse_categorical_crossentropy),
    ((8, 10), (8, 10), "categorical", losses.categorical_crossentropy),
])
def test_crossentropy_resolved_from_shapes(true_shape, pred_shape, kind, expected):
    y_true, y_pred = np.zeros(true_shape), np.zeros(pred_shape)
    assert losses.label_kind(y_true, y_pred) == kind
    for identifier in ("crossentropy", "CE", "Crossentropy"):
        loss = losses.resolve_loss(identifier, y_true, y_pred)
        assert isinstance(loss, losses.LossFunctionWrapper)
        assert loss.fn is expected
        assert loss.name == identifier


def test_resolve_loss_always_returns_a_loss_object():
    def my_loss(y_true, y_pred):
        return (y_true - y_pred) ** 2

    y = np.zeros((4, 1))
    assert losses.resolve_loss("mse", y, y).name == "mse"
    assert losses.resolve_loss("mse", y, y).fn is losses.mean_squared_error
    assert losses.resolve_loss(my_loss, y, y).name == "my_loss"
    instance = losses.MeanAbsoluteError()
    assert losses.resolve_loss(instance, y, y) is instance
    assert losses.resolve_loss(None, y, y) is None
