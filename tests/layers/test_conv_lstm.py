"""ConvLSTM1D/2D/3D against an LSTM written with torch's own convolutions.

Real Keras reads and writes ConvLSTM2D models too: see the `conv_lstm` model of
`tests/porting/model_zoo.py`.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import minilib
from minilib import layers
from tests.helpers.torch_oracle import assert_layer_matches_torch, random_floats

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def torch_conv_lstm(cell, x, kernel, recurrent, bias, go_backwards=False):
    """The ConvLSTM recurrence by hand, channels first, with weights in Keras's layouts."""
    rank = cell.rank
    # Keras kernel (*window, in, out) -> torch weight (out, in, *window)
    to_torch = lambda kernel: kernel.permute(rank + 1, rank, *range(rank))  # noqa: E731
    kernel, recurrent = to_torch(kernel), to_torch(recurrent)
    if cell.data_format == "channels_last":
        x = x.movedim(-1, 2)
    conv = CONV[rank]
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    h = c = None
    outputs = []
    for t in steps:
        z = conv(x[:, t], kernel, bias, stride=cell.strides,
                 padding=cell.padding, dilation=cell.dilation_rate)
        if h is None:
            h = c = torch.zeros_like(z[:, :cell.filters])
        z = z + conv(h, recurrent, padding="same")
        i, f, g, o = z.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        outputs.append(h)
    outputs = torch.stack(outputs, dim=1)
    if cell.data_format == "channels_last":
        outputs, h, c = outputs.movedim(2, -1), h.movedim(1, -1), c.movedim(1, -1)
    return outputs, h, c


CASES = [
    (layers.ConvLSTM1D, dict(filters=3, kernel_size=3), (2, 4, 9, 2)),
    (layers.ConvLSTM2D, dict(filters=4, kernel_size=3, padding="same"), (2, 3, 6, 5, 2)),
    (layers.ConvLSTM2D, dict(filters=2, kernel_size=3, strides=2), (2, 3, 7, 8, 3)),
    (layers.ConvLSTM2D, dict(filters=2, kernel_size=3, dilation_rate=2, go_backwards=True),
     (1, 4, 7, 7, 1)),
    (layers.ConvLSTM3D, dict(filters=2, kernel_size=2, data_format="channels_first"),
     (1, 3, 2, 4, 3, 4)),
]


@pytest.mark.parametrize("layer_class, arguments, shape", CASES,
                         ids=lambda v: v.__name__ if isinstance(v, type) else None)
def test_matches_the_recurrence_written_with_torch_convolutions(layer_class, arguments, shape):
    layer = layer_class(**arguments, return_sequences=True, return_state=True,
                        bias_initializer="random_normal")
    go_backwards = arguments.get("go_backwards", False)
    assert_layer_matches_torch(
        layer, random_floats(*shape),
        lambda x, *weights: torch_conv_lstm(layer.cell, x, *weights, go_backwards), atol=1e-6)


def test_weights_have_keras_shapes_and_the_forget_bias_starts_at_one():
    layer = layers.ConvLSTM2D(4, (3, 2))
    layer.build((None, 5, 8, 8, 3))
    assert [tuple(w.shape) for w in layer.weights] == [(3, 2, 3, 16), (3, 2, 4, 16), (16,)]
    assert layer.cell.bias.detach().tolist() == [0.0] * 4 + [1.0] * 4 + [0.0] * 8
    assert layer.count_params() == 3 * 2 * 3 * 16 + 3 * 2 * 4 * 16 + 16


def test_output_shape_without_sequences_and_in_a_model():
    model = minilib.Sequential([
        minilib.Input((3, 6, 6, 2)),
        layers.ConvLSTM2D(4, 3, padding="same", return_sequences=True),
        layers.ConvLSTM2D(3, 2, strides=2),
        layers.Flatten(), layers.Dense(2)])
    assert model.layers[0].output.shape == (None, 3, 6, 6, 4)
    assert model.layers[1].output.shape == (None, 3, 3, 3)
    assert model(np.zeros((5, 3, 6, 6, 2), "float32")).shape == (5, 2)


def test_dropout_masks_fit_the_frames_one_per_gate():
    """Recurrent dropout draws one mask per gate; with a tiny rate almost nothing is
    dropped, so training output equals inference output (up to the 1 / (1 - rate) scale)."""
    layer = layers.ConvLSTM2D(3, 3, padding="same", dropout=1e-7, recurrent_dropout=1e-7)
    x = torch.randn(2, 3, 5, 5, 2)
    torch.testing.assert_close(layer(x, training=True), layer(x), rtol=1e-5, atol=1e-6)


def test_dropout_only_in_training_and_config_round_trip(tmp_path):
    layer = layers.ConvLSTM1D(2, 3, dropout=0.5, recurrent_dropout=0.5, seed=1)
    x = torch.ones(8, 4, 7, 3)
    assert torch.equal(layer(x), layer(x))  # inference: no dropout
    assert not torch.equal(layer(x, training=True), layer(x))
    again = layers.ConvLSTM1D.from_config(layer.get_config())
    assert again.get_config() == layer.get_config()
    model = minilib.Sequential([minilib.Input((4, 7, 3)), layer])
    model.save(tmp_path / "m.keras")
    loaded = minilib.saving.load_model(tmp_path / "m.keras")
    torch.testing.assert_close(loaded(x), model(x))


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="'clip_cell'.*strides > 1 cannot be combined with "
                                         "dilation_rate > 1"):
        layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2, name="clip")
    with pytest.raises(ValueError, match="frames must have a known size"):
        layers.ConvLSTM2D(2, 3).build((None, 5, None, 8, 3))
