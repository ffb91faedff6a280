"""keras.io's "Next-frame video prediction with convolutional LSTMs" example, in our words.

The example stacks three ConvLSTM2D layers (with BatchNormalization between them) over clips
of any length, and a Conv3D that turns the sequence of feature maps into the predicted frames.
Moving MNIST is replaced by small random clips; the model is the example's, with 16x16 frames
and 8 filters instead of 64x64 and 64 to keep the test fast. Real Keras builds the same model in
a subprocess: the summaries must agree.
"""

import json
import os
import subprocess
import sys

import numpy as np

import minilib as keras
from minilib import layers

FRAME = (16, 16, 1)
FILTERS = 8


def next_frame_model(lib):
    """The example's model, written once for minilib and for real Keras."""
    L = lib.layers
    inp = L.Input(shape=(None, *FRAME))  # clips of any number of frames
    x = L.ConvLSTM2D(FILTERS, (5, 5), padding="same", return_sequences=True,
                     activation="relu")(inp)
    x = L.BatchNormalization()(x)
    x = L.ConvLSTM2D(FILTERS, (3, 3), padding="same", return_sequences=True,
                     activation="relu")(x)
    x = L.BatchNormalization()(x)
    x = L.ConvLSTM2D(FILTERS, (1, 1), padding="same", return_sequences=True,
                     activation="relu")(x)
    x = L.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same")(x)
    return lib.models.Model(inp, x)


KERAS_SUMMARY = f"""
import json, sys
sys.path.insert(0, {os.path.dirname(__file__)!r})
import keras
from test_conv_lstm_example import next_frame_model
model = next_frame_model(keras)
print(json.dumps([[layer.count_params(), list(layer.output.shape)] for layer in model.layers]))
"""


def test_model_matches_keras_layer_by_layer():
    done = subprocess.run([sys.executable, "-c", KERAS_SUMMARY], capture_output=True, text=True,
                          env={**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1"},
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    keras_layers = json.loads(done.stdout.splitlines()[-1])
    model = next_frame_model(keras)
    ours = [[layer.count_params(), list(layer.output.shape)] for layer in model.layers]
    assert ours == keras_layers
    assert model.count_params() == 12_697


def test_trains_on_shifted_frames_and_predicts_clips_of_any_length():
    rng = np.random.default_rng(0)
    clips = rng.random((12, 6, *FRAME)).astype("float32")
    x_train, y_train = clips[:10, :-1], clips[:10, 1:]  # frame n predicts frame n + 1
    x_val, y_val = clips[10:, :-1], clips[10:, 1:]
    model = next_frame_model(keras)
    model.compile(loss=keras.losses.binary_crossentropy, optimizer=keras.optimizers.Adam())
    history = model.fit(
        x_train, y_train, batch_size=5, epochs=3, validation_data=(x_val, y_val), verbose=0,
        callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=10),
                   keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=5)])
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert set(history.history) == {"loss", "val_loss", "learning_rate"}
    frames = clips[0, :3]
    for _ in range(2):  # the example's loop: predict, append the last predicted frame
        prediction = model.predict(np.expand_dims(frames, axis=0), verbose=0)
        assert prediction.shape == (1, len(frames), *FRAME)
        assert np.all((prediction > 0) & (prediction < 1))
        frames = np.concatenate([frames, prediction[0, -1:]], axis=0)
    assert frames.shape == (5, *FRAME)
    assert isinstance(model.layers[-1], layers.Conv3D)
