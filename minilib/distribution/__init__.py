"""Training on several devices: Keras 3's `keras.distribution` API, run by torch.distributed.

    import minilib as keras

    keras.distribution.set_distribution(keras.distribution.DataParallel())
    model = make_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=64, epochs=5)

`python train.py` trains on one process as usual; `torchrun --nproc-per-node=2 train.py`
trains on two, each with half of every batch. See `DataParallel`.
"""

from minilib.distribution.data_parallel import DataParallel
from minilib.distribution.devices import list_devices
from minilib.distribution.global_state import distribution, set_distribution
from minilib.distribution.process_group import initialize, is_main_process

__all__ = [
    "DataParallel", "distribution", "initialize", "is_main_process", "list_devices",
    "set_distribution",
]
