"""TensorBoard: write what training does into event files that TensorBoard draws.

The callback decides what to write and when (its hooks); `tensorboard_records.py`
turns weights, the graph of layers and the embeddings into TensorBoard's formats.
"""

import os
import time

import torch
from torch.profiler import ProfilerActivity, profile, tensorboard_trace_handler

from minilib.callbacks.callback import Callback
from minilib.callbacks.tensorboard_records import (
    embedding_layers,
    graph_def,
    weight_as_images,
    write_projector_files,
)
from minilib.distribution.process_group import is_main_process


class TensorBoard(Callback):
    """Logs metrics, weight histograms and the model's graph for TensorBoard.

    When to use: to watch training curves live in a browser, to compare runs
    (give each run its own `log_dir` under one folder and point TensorBoard at
    the folder), or to see how the weights of each layer move during training.

    TensorBoard shows each folder of event files as one *run*. The callback writes
    two, with the same tag names, so each chart has a training and a validation curve:

    - `logs/train/`: epoch_loss, epoch_accuracy, epoch_learning_rate, batch_loss (with
      update_freq), weight histograms, the graph of layers, profiler traces;
    - `logs/validation/`: epoch_loss, epoch_accuracy (the val_ metrics without "val_"),
      and evaluation_loss_vs_iterations (step: optimizer iterations).

    The event files are written with `torch.utils.tensorboard`, which needs only
    the `tensorboard` package, not TensorFlow. To see them, run
    `tensorboard --logdir logs` in a terminal and open http://localhost:6006.

    What minilib writes where Keras (on TensorFlow) writes something else:

    - the graph (`write_graph`) is the graph of layers, one box per layer call
      named after the layer, as `plot_model` draws it. Subclassed models record
      no such graph, so nothing is drawn for them (Keras draws no graph for
      them either).
    - `profile_batch` runs PyTorch's profiler (`torch.profiler`) over those
      training batches and writes a `*.pt.trace.json` trace into `train/`. Open
      it in https://ui.perfetto.dev or chrome://tracing. Keras on the torch
      backend refuses this argument.
    - `embeddings_freq` writes each top-level `Embedding` layer's matrix to
      `<log_dir>/<layer name>.embeddings.tsv`, with a `projector_config.pbtxt`
      beside it, for TensorBoard's Projector tab.

    Under `minilib.distribution.DataParallel` only process 0 writes.

    Args:
        log_dir: the folder for the event files; give every run its own.
        histogram_freq: every how many epochs to write a histogram of each weight
            (tag `<weight path>/histogram`, such as `dense/kernel/histogram`);
            0 writes none.
        write_graph: write the model's graph of layers, once, for the Graphs tab.
        write_images: with histograms, also draw each weight as a grayscale image
            (biases, Dense kernels and 1D convolution kernels).
        write_steps_per_second: also log training steps per second
            (`epoch_steps_per_second`, and `batch_steps_per_second` with update_freq).
        update_freq: `"epoch"` writes metrics once per epoch; `"batch"` or an
            integer N also writes the running metrics of every Nth training batch
            as `batch_<metric>`, with the step counting batches across epochs from 1.
        profile_batch: 0 (off), a batch number, or a pair `(first, last)` of batch
            numbers (counted from 1 across epochs) to profile.
        embeddings_freq: every how many epochs to write the embedding matrices;
            0 writes none.
        embeddings_metadata: for the Projector, a metadata file (one label per row
            of the matrix) for every Embedding layer, or a dict from layer names
            to such files. Relative paths are read from `log_dir`.

    Example:

    >>> x = np.linspace(-1, 1, 32).reshape(-1, 1)
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> tensorboard = minilib.callbacks.TensorBoard(log_dir="logs", histogram_freq=1)
    >>> history = model.fit(x, 3 * x, epochs=2, validation_split=0.25, verbose=0,
    ...                     callbacks=[tensorboard])
    >>> import os; sorted(os.listdir("logs"))     # two runs, each with its event file
    ['train', 'validation']
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        if update_freq != "epoch" and update_freq != "batch" and not (
                isinstance(update_freq, int) and update_freq > 0):
            raise ValueError(f"TensorBoard: update_freq must be 'epoch', 'batch' or a positive "
                             f"number of batches, got {update_freq!r}.")
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.profile_batches = _profile_range(profile_batch)
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._profiler = None
        self._global_train_batch = 0
        self._graph_pending = False
        self._embedding_layers = []

    @property
    def wants_batch_logs(self):
        """Batch logs are needed only to write `batch_...` scalars."""
        return self.update_freq != "epoch"

    def set_model(self, model):
        super().set_model(model)
        self._close_writers()
        self._graph_pending = self.write_graph
        if self.embeddings_freq:
            self._embedding_layers = embedding_layers(model, self.embeddings_metadata)

    # ----- hooks ---------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0

    def on_train_end(self, logs=None):
        self._stop_profiler()
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._epoch_start = (time.perf_counter(), self._iterations())

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        self._batch_start = time.perf_counter()
        if (self.profile_batches and self._global_train_batch == self.profile_batches[0]
                and is_main_process()):
            self._start_profiler()

    def on_train_batch_end(self, batch, logs=None):
        if not is_main_process():
            return
        if self._graph_pending:  # after the first batch, so the model is surely built
            self._write_graph()
        step = self._global_train_batch
        if self.update_freq != "epoch" and step % self.update_freq == 0:
            scalars = dict(logs or {})
            if self.write_steps_per_second:
                scalars["steps_per_second"] = 1.0 / (time.perf_counter() - self._batch_start)
            self._write_scalars("train", "batch_", scalars, step)
        if self._profiler is not None and step >= self.profile_batches[1]:
            self._stop_profiler()

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if not logs or optimizer is None or not is_main_process():
            return
        # Validation inside fit and a separate evaluate() land on one x axis: training steps.
        writer = self._writer("validation")
        for name, value in logs.items():
            writer.add_scalar(f"evaluation_{name}_vs_iterations", value,
                              int(optimizer.iterations))
        writer.flush()

    def on_epoch_end(self, epoch, logs=None):
        if not logs or not is_main_process():
            return
        training = {name: value for name, value in logs.items() if not name.startswith("val_")}
        validation = {name[4:]: value for name, value in logs.items() if name.startswith("val_")}
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None:
            training["learning_rate"] = float(optimizer.learning_rate)
        if self.write_steps_per_second:
            start_time, start_iterations = self._epoch_start
            training["steps_per_second"] = ((self._iterations() - start_iterations)
                                            / (time.perf_counter() - start_time))
        self._write_scalars("train", "epoch_", training, epoch)
        if validation:
            self._write_scalars("validation", "epoch_", validation, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._write_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            write_projector_files(self.log_dir, self._embedding_layers)
        for writer in self._writers.values():  # so a TensorBoard open now sees this epoch
            writer.flush()

    # ----- writing -------------------------------------------------------------------------

    def _writer(self, run):
        """The writer of `log_dir/run`, created on first use (no empty runs)."""
        if run not in self._writers:
            from torch.utils.tensorboard import SummaryWriter

            self._writers[run] = SummaryWriter(os.path.join(self.log_dir, run))
        return self._writers[run]

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _write_scalars(self, run, prefix, scalars, step):
        writer = self._writer(run)
        for name, value in scalars.items():
            writer.add_scalar(prefix + name, value, step)

    def _write_weights(self, epoch):
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                values = weight.detach().float().cpu().numpy()
                writer.add_histogram(f"{name}/histogram", values, epoch)
                image = weight_as_images(values) if self.write_images else None
                if image is not None:
                    writer.add_images(f"{name}/image", image, epoch, dataformats="NHWC")

    def _write_graph(self):
        from tensorboard.compat.proto.event_pb2 import Event

        from minilib.viz.model_graph import ModelGraph

        self._graph_pending = False
        try:
            nodes = ModelGraph(self.model).nodes
        except ValueError:
            return  # a subclassed model: its call() records no graph of layers
        graph = graph_def(nodes)
        self._writer("train").file_writer.add_event(Event(graph_def=graph.SerializeToString()))

    # ----- profiling and timing ------------------------------------------------------------

    def _start_profiler(self):
        activities = [ProfilerActivity.CPU]
        if torch.cuda.is_available():
            activities.append(ProfilerActivity.CUDA)
        self._profiler = profile(activities=activities, on_trace_ready=tensorboard_trace_handler(
            os.path.join(self.log_dir, "train")))
        self._profiler.start()

    def _stop_profiler(self):
        if self._profiler is not None:
            self._profiler.stop()  # writes the trace
            self._profiler = None

    def _iterations(self):
        optimizer = getattr(self.model, "optimizer", None)
        return 0 if optimizer is None else int(optimizer.iterations)


def _profile_range(profile_batch):
    """`(first, last)` batch to profile, or None for 0; also Keras's "first,last" strings."""
    batches = profile_batch
    if isinstance(batches, str):
        batches = [int(part) for part in batches.split(",")]
    if isinstance(batches, int):
        batches = (batches, batches)
    if (not isinstance(batches, list | tuple) or len(batches) != 2
            or not 0 <= batches[0] <= batches[1]):
        raise ValueError(f"TensorBoard: profile_batch must be 0, a batch number or a pair "
                         f"(first, last) of batch numbers, got {profile_batch!r}.")
    return None if batches[1] == 0 else tuple(batches)
