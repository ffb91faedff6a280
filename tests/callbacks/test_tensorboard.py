"""TensorBoard callback: the event files are read back with TensorBoard's own reader.

TensorBoard stores each scalar as a float32, so values are compared with the
History (Python floats) at float32 precision.
"""

import numpy as np
import pytest
from google.protobuf import text_format
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

import minilib
import minilib as keras
from minilib.callbacks import LambdaCallback, TensorBoard

X = np.random.RandomState(0).rand(40, 4).astype("float32")
Y = (X.sum(axis=1) > 2).astype("int64")


def classifier():
    keras.utils.clear_session()  # layer names start again at "dense"
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"),
                              keras.layers.Dense(2)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def read(folder):
    """Everything TensorBoard would load from one run folder."""
    run = EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0,
                                                       "images": 0})
    run.Reload()
    return run


def scalars(run, tag):
    return {event.step: event.value for event in run.Scalars(tag)}


def as_float32(values):
    return [float(np.float32(value)) for value in values]


def test_scalars_equal_the_history_and_the_batch_logs(tmp_path):
    batch_logs = []
    recorder = LambdaCallback(on_train_batch_end=lambda batch, logs: batch_logs.append(logs))
    model = classifier()
    history = model.fit(X, Y, epochs=3, batch_size=8, validation_split=0.25, verbose=0,
                        callbacks=[recorder, TensorBoard(tmp_path, update_freq=2)])
    train, validation = read(tmp_path / "train"), read(tmp_path / "validation")

    for name in ("loss", "accuracy"):
        assert scalars(train, f"epoch_{name}") == dict(enumerate(as_float32(
            history.history[name])))
        assert scalars(validation, f"epoch_{name}") == dict(enumerate(as_float32(
            history.history[f"val_{name}"])))
    assert scalars(train, "epoch_learning_rate") == dict.fromkeys(range(3), as_float32([0.001])[0])
    # 30 training samples in batches of 8: 4 batches an epoch, 12 in all, steps from 1.
    every_second = {step: batch_logs[step - 1]["loss"] for step in range(2, 13, 2)}
    assert scalars(train, "batch_loss") == dict(zip(every_second, as_float32(
        every_second.values()), strict=True))
    assert set(scalars(train, "batch_accuracy")) == {2, 4, 6, 8, 10, 12}
    # Validation after each epoch, on the axis of optimizer steps.
    assert scalars(validation, "evaluation_loss_vs_iterations") == dict(zip(
        (4, 8, 12), as_float32(history.history["val_loss"]), strict=True))
    assert "batch_loss" not in validation.Tags()["scalars"]


def test_epoch_updates_write_no_batch_scalars_nor_an_empty_validation_run(tmp_path):
    callback = TensorBoard(tmp_path)
    assert not callback.wants_batch_logs  # fit need not build per-batch logs
    classifier().fit(X, Y, epochs=1, verbose=0, callbacks=[callback])
    assert not any(tag.startswith("batch_") for tag in read(tmp_path / "train").Tags()["scalars"])
    assert sorted(path.name for path in tmp_path.iterdir()) == ["train"]


def test_histograms_at_histogram_freq_epochs_hold_the_weights(tmp_path):
    model = classifier()
    model.fit(X, Y, epochs=3, verbose=0, callbacks=[TensorBoard(tmp_path, histogram_freq=2)])
    train = read(tmp_path / "train")
    tags = ["dense/kernel/histogram", "dense/bias/histogram", "dense_1/kernel/histogram",
            "dense_1/bias/histogram"]
    assert train.Tags()["histograms"] == tags
    kernel = model.layers[0].kernel.detach().numpy()
    events = train.Histograms("dense/kernel/histogram")
    assert [event.step for event in events] == [0, 2]
    last = events[-1].histogram_value  # epoch 2 is the last, so these are the final weights
    assert last.num == kernel.size
    np.testing.assert_allclose([last.min, last.max, last.sum],
                               [kernel.min(), kernel.max(), kernel.sum()], rtol=1e-5, atol=1e-6)
    assert train.Tags()["images"] == []


def test_write_images_draws_kernels_wider_than_tall(tmp_path):
    classifier().fit(X, Y, epochs=1, verbose=0,
                     callbacks=[TensorBoard(tmp_path, histogram_freq=1, write_images=True)])
    train = read(tmp_path / "train")
    kernel = train.Images("dense/kernel/image")[0]  # a (4, 3) kernel, drawn 3 high, 4 wide
    bias = train.Images("dense/bias/image")[0]  # 3 values in one column
    assert (kernel.height, kernel.width, bias.height, bias.width) == (3, 4, 3, 1)


def test_graph_has_one_node_per_layer_call(tmp_path):
    inputs = keras.Input((4,))
    shared = keras.layers.Dense(4, name="shared")
    outputs = keras.layers.Dense(1, name="head")(shared(shared(inputs)))
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "mse")
    model.fit(X, Y.astype("float32"), epochs=1, verbose=0, callbacks=[TensorBoard(tmp_path)])
    graph = read(tmp_path / "train").Graph()
    nodes = {node.name: node for node in graph.node}
    assert list(nodes) == [inputs.node.operation.name, "shared/call_0", "shared/call_1", "head"]
    assert nodes["head"].op == "Dense" and list(nodes["head"].input) == ["shared/call_1"]
    shape = nodes["head"].attr["_output_shapes"].list.shape[0]
    assert [dim.size for dim in shape.dim] == [-1, 1]


def test_subclassed_model_gets_scalars_but_no_graph(tmp_path):
    class Linear(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    model = Linear()
    model.compile("sgd", "mse")
    model.fit(X, Y.astype("float32"), epochs=2, verbose=0, callbacks=[TensorBoard(tmp_path)])
    train = read(tmp_path / "train")
    assert not train.Tags()["graph"] and set(scalars(train, "epoch_loss")) == {0, 1}


def test_evaluate_writes_against_the_optimizer_steps(tmp_path):
    model, callback = classifier(), TensorBoard(tmp_path)
    model.fit(X, Y, epochs=2, batch_size=10, verbose=0, callbacks=[callback])
    result = model.evaluate(X, Y, verbose=0, callbacks=[callback], return_dict=True)
    validation = read(tmp_path / "validation")
    assert scalars(validation, "evaluation_accuracy_vs_iterations") == {
        8: np.float32(result["accuracy"])}
    assert "epoch_loss" not in validation.Tags()["scalars"]


def test_steps_per_second(tmp_path):
    classifier().fit(X, Y, epochs=2, batch_size=10, verbose=0, callbacks=[
        TensorBoard(tmp_path, update_freq="batch", write_steps_per_second=True)])
    train = read(tmp_path / "train")
    assert set(scalars(train, "batch_steps_per_second")) == set(range(1, 9))
    per_epoch = scalars(train, "epoch_steps_per_second")
    assert set(per_epoch) == {0, 1} and min(per_epoch.values()) > 0


def test_embeddings_for_the_projector(tmp_path):
    (tmp_path / "words.tsv").write_text("\n".join(f"word{i}" for i in range(10)))
    model = keras.Sequential([keras.Input((3,), dtype="int64"), keras.layers.Embedding(10, 2),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    tokens = np.random.RandomState(1).randint(0, 10, size=(16, 3))
    model.fit(tokens, np.ones((16, 1), "float32"), epochs=1, verbose=0, callbacks=[
        TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata={"embedding": "words.tsv"})])
    config = text_format.Parse((tmp_path / "projector_config.pbtxt").read_text(),
                               ProjectorConfig())
    (entry,) = config.embeddings
    assert (entry.tensor_name, entry.metadata_path, list(entry.tensor_shape)) == (
        "embedding", "words.tsv", [10, 2])
    written = np.loadtxt(tmp_path / entry.tensor_path, delimiter="\t")
    np.testing.assert_array_equal(written, model.layers[0].embeddings.detach().numpy())
    with pytest.raises(ValueError, match=r"\['embeding'\].*\['embedding'\]"):
        TensorBoard(tmp_path, embeddings_freq=1,
                    embeddings_metadata={"embeding": "words.tsv"}).set_model(model)


@pytest.mark.parametrize("arguments", [{"update_freq": "step"}, {"update_freq": 0},
                                       {"profile_batch": (3, 2)}, {"profile_batch": -1},
                                       {"profile_batch": (1, 2, 3)}])
def test_bad_arguments_are_refused(arguments):
    with pytest.raises(ValueError, match="TensorBoard: "):
        TensorBoard(**arguments)


def test_profile_batch_forms():
    assert TensorBoard().profile_batches is None
    assert TensorBoard(profile_batch=3).profile_batches == (3, 3)
    assert TensorBoard(profile_batch="2,4").profile_batches == (2, 4)


@pytest.mark.slow  # starting PyTorch's profiler takes seconds
def test_profile_batch_writes_a_pytorch_trace(tmp_path):
    import json

    classifier().fit(X, Y, epochs=1, batch_size=10, verbose=0,
                     callbacks=[TensorBoard(tmp_path, profile_batch=(2, 3))])
    (trace,) = (tmp_path / "train").glob("*.pt.trace.json")
    assert json.loads(trace.read_text())["traceEvents"]


def test_keras_io_example_verbatim(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model, x_train, y_train = classifier(), X, Y
    # From keras.io/api/callbacks/tensorboard:
    tensorboard_callback = keras.callbacks.TensorBoard(log_dir="./logs")
    model.fit(x_train, y_train, epochs=2, callbacks=[tensorboard_callback])
    assert set(scalars(read(tmp_path / "logs" / "train"), "epoch_loss")) == {0, 1}
    # From the keras.io guide "Training & evaluation with the built-in methods":
    callback = keras.callbacks.TensorBoard(
        log_dir="/full_path_to_your_logs",
        histogram_freq=0,  # How often to log histogram visualizations
        embeddings_freq=0,  # How often to log embedding visualizations
        update_freq="epoch",
    )  # How often to write logs (default: once per epoch)
    assert (callback.log_dir, callback.update_freq) == ("/full_path_to_your_logs", "epoch")


def test_defaults_match_keras():
    callback = minilib.callbacks.TensorBoard()
    assert (callback.log_dir, callback.histogram_freq, callback.write_graph,
            callback.write_images, callback.write_steps_per_second, callback.update_freq,
            callback.embeddings_freq, callback.embeddings_metadata) == (
        "logs", 0, True, False, False, "epoch", 0, None)
