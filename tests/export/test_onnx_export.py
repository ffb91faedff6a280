"""model.export(path, format="onnx"): ONNX Runtime must agree with minilib's predict."""

import numpy as np
import pytest

import minilib
from minilib import layers

onnxruntime = pytest.importorskip("onnxruntime")


def run_onnx(path, *inputs):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feed = {spec.name: x for spec, x in zip(session.get_inputs(), inputs, strict=True)}
    return session.run(None, feed)


def trained(model, x, y, loss="mse"):
    """A model after one short fit, so that BatchNormalization's statistics have moved."""
    minilib.utils.set_random_seed(0)
    model.compile(optimizer="adam", loss=loss)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    return model


def assert_exports_faithfully(model, x, tmp_path, capsys):
    path = tmp_path / "model.onnx"
    model.export(path, format="onnx")
    assert capsys.readouterr() == (f"Saved artifact at '{path}'.\n", "")
    for batch in (x[:1], x[:5], x):  # the batch size is dynamic: 2 was used to export
        (onnx_output,) = run_onnx(path, batch)
        np.testing.assert_allclose(onnx_output, model.predict(batch, verbose=0),
                                   rtol=1e-4, atol=1e-5)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_mlp(rng, tmp_path, capsys):
    x = rng.normal(size=(24, 6)).astype("float32")
    model = trained(minilib.Sequential([
        minilib.Input(shape=(6,)), layers.Dense(16, activation="relu"),
        layers.Dropout(0.5), layers.Dense(3, activation="softmax"),
    ]), x, np.eye(3, dtype="float32")[rng.integers(0, 3, 24)], "categorical_crossentropy")
    assert_exports_faithfully(model, x, tmp_path, capsys)


def test_cnn_with_batch_normalization_in_inference_mode(rng, tmp_path, capsys):
    x = rng.normal(size=(16, 12, 12, 1)).astype("float32")
    model = trained(minilib.Sequential([
        minilib.Input(shape=(12, 12, 1)),
        layers.Conv2D(4, 3, padding="same"), layers.BatchNormalization(),
        layers.Activation("relu"), layers.MaxPooling2D(2),
        layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(2),  # Flatten keeps the batch
    ]), x, rng.normal(size=(16, 2)).astype("float32"))
    batch_norm = model.layers[1]
    assert not np.allclose(batch_norm.moving_mean.numpy(), 0)  # inference uses these
    assert_exports_faithfully(model, x, tmp_path, capsys)


def test_lstm(rng, tmp_path, capsys):
    x = rng.normal(size=(12, 7, 3)).astype("float32")
    inputs = minilib.Input(shape=(7, 3))
    outputs = layers.Dense(1)(layers.LSTM(5)(inputs))
    model = trained(minilib.Model(inputs, outputs), x, rng.normal(size=(12, 1)))
    assert_exports_faithfully(model, x, tmp_path, capsys)


def test_several_inputs_and_outputs_keep_their_names_and_order(rng, tmp_path):
    left, right = minilib.Input(shape=(3,), name="left"), minilib.Input(shape=(2,), name="right")
    joined = layers.Concatenate()([left, right])
    model = minilib.Model([left, right], [layers.Dense(4)(joined), layers.Dense(1)(joined)])
    path = tmp_path / "two.onnx"
    model.export(path, format="onnx", verbose=False)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["left", "right"]
    assert [o.name for o in session.get_outputs()] == ["output_0", "output_1"]
    a, b = rng.normal(size=(5, 3)).astype("float32"), rng.normal(size=(5, 2)).astype("float32")
    for onnx_output, expected in zip(run_onnx(path, a, b), model.predict([a, b], verbose=0),
                                     strict=True):
        np.testing.assert_allclose(onnx_output, expected, rtol=1e-5, atol=1e-6)


def test_subclassed_model_exports_the_shape_it_was_called_on(rng, tmp_path):
    class TwoLayers(minilib.Model):
        def __init__(self):
            super().__init__()
            self.hidden, self.out = layers.Dense(8, activation="tanh"), layers.Dense(2)

        def call(self, inputs):
            return self.out(self.hidden(inputs))

    model = TwoLayers()
    x = rng.normal(size=(9, 4)).astype("float32")
    with pytest.raises(ValueError, match="call it on a batch of data first"):
        model.export(tmp_path / "m.onnx", format="onnx")
    model(x[:3])
    model.export(tmp_path / "m.onnx", format="onnx", verbose=False)
    np.testing.assert_allclose(run_onnx(tmp_path / "m.onnx", x)[0], model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_other_formats_are_refused_clearly(tmp_path):
    model = minilib.Sequential([minilib.Input(shape=(2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="exports only to ONNX"):
        model.export(tmp_path / "saved_model")
