"""PyDataset: feed `fit` one batch at a time from your own Python class."""


class PyDataset:
    """Base class for datasets that `fit`, `evaluate` and `predict` read batch by batch.

    Use it when the data does not fit in memory or each batch needs work (loading
    files, augmenting). Say how many batches there are (`__len__`) and how to get
    batch `i` (`__getitem__`); `on_epoch_end` may reshuffle.

    Args:
        workers, use_multiprocessing, max_queue_size: accepted for Keras compatibility;
            minilib reads batches in the main process, in order.

    Example:

    >>> import math
    >>> class Squares(minilib.utils.PyDataset):
    ...     def __init__(self, n, batch_size, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.n, self.batch_size = n, batch_size
    ...     def __len__(self):                       # number of batches
    ...         return math.ceil(self.n / self.batch_size)
    ...     def __getitem__(self, index):            # one batch: (x, y)
    ...         x = np.arange(index * self.batch_size,
    ...                       min(self.n, (index + 1) * self.batch_size), dtype="float32")
    ...         return x[:, None], (x ** 2)[:, None]
    >>> squares = Squares(100, 32)
    >>> len(squares), squares[3]                     # the last batch is short
    (4, (array([[96.], [97.], [98.], [99.]], dtype=float32),
         array([[9216.], [9409.], [9604.], [9801.]], dtype=float32)))
    >>> model = minilib.Sequential([minilib.Input(shape=(1,)), minilib.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(squares, epochs=2, verbose=0)
    >>> history.params["steps"]
    4
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __len__(self):
        """The number of batches in one epoch."""
        raise NotImplementedError(f"{type(self).__name__} must define __len__.")

    def __getitem__(self, index):
        """Batch number `index`: `(x, y)`, `(x, y, sample_weight)` or just `x`."""
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__.")

    def on_epoch_end(self):
        """Called after each epoch; override it to reshuffle your own data."""

    @property
    def num_batches(self):
        return len(self)
