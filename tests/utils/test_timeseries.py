"""timeseries_dataset_from_array: windows checked by hand, and training on them."""

import numpy as np
import pytest

import minilib
from minilib.utils import PyDataset, timeseries_dataset_from_array


def all_batches(dataset):
    return [dataset[i] for i in range(len(dataset))]


def test_windows_and_next_step_targets():
    series = np.arange(10)
    dataset = timeseries_dataset_from_array(series[:-3], series[3:], sequence_length=3,
                                            batch_size=4)
    assert isinstance(dataset, PyDataset) and len(dataset) == 2
    (x0, y0), (x1, y1) = all_batches(dataset)
    np.testing.assert_array_equal(x0, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]])
    np.testing.assert_array_equal(y0, [3, 4, 5, 6])
    np.testing.assert_array_equal(x1, [[4, 5, 6]])
    np.testing.assert_array_equal(y1, [7])


def test_stride_sampling_rate_and_index_range():
    data = np.arange(100)
    dataset = timeseries_dataset_from_array(data, None, sequence_length=3, sequence_stride=5,
                                            sampling_rate=2, batch_size=100, start_index=10,
                                            end_index=30)
    (x,) = all_batches(dataset)
    # Windows span 5 steps and start every 5 steps inside data[10:30].
    np.testing.assert_array_equal(x, [[10, 12, 14], [15, 17, 19], [20, 22, 24], [25, 27, 29]])


def test_targets_shorter_than_data_limit_the_windows():
    data = np.arange(20)
    dataset = timeseries_dataset_from_array(data, targets=np.arange(5) * 10,
                                            sequence_length=4, batch_size=10)
    x, y = dataset[0]
    assert len(x) == 5
    np.testing.assert_array_equal(y, [0, 10, 20, 30, 40])


def test_features_keep_their_axis():
    data = np.arange(30, dtype="float32").reshape(15, 2)
    x, y = timeseries_dataset_from_array(data, np.arange(15), sequence_length=5,
                                         batch_size=32)[0]
    assert x.shape == (11, 5, 2) and x.dtype == np.float32
    np.testing.assert_array_equal(x[3], data[3:8])


def test_shuffle_is_seeded_and_keeps_pairs():
    data = np.arange(50)

    def make(seed):
        return timeseries_dataset_from_array(data, data * 10, sequence_length=4, batch_size=8,
                                             shuffle=True, seed=seed)

    x, y = (np.concatenate(parts) for parts in zip(*all_batches(make(1)), strict=True))
    assert sorted(x[:, 0].tolist()) == list(range(47))
    assert x[:, 0].tolist() != list(range(47))
    np.testing.assert_array_equal(y, x[:, 0] * 10)
    np.testing.assert_array_equal(make(1)[0][0], make(1)[0][0])


def test_bad_arguments():
    data = np.arange(10)
    with pytest.raises(ValueError, match="start_index"):
        timeseries_dataset_from_array(data, None, 3, start_index=10)
    with pytest.raises(ValueError, match="end_index"):
        timeseries_dataset_from_array(data, None, 3, start_index=5, end_index=5)
    with pytest.raises(ValueError, match="sampling_rate"):
        timeseries_dataset_from_array(data, None, 3, sampling_rate=0)
    with pytest.raises(ValueError, match="sequence_stride"):
        timeseries_dataset_from_array(data, None, 3, sequence_stride=10)
    with pytest.raises(IndexError):
        timeseries_dataset_from_array(data, None, 3)[1]


def test_fit_on_a_timeseries_dataset():
    minilib.utils.set_random_seed(0)
    series = np.sin(np.arange(300) / 5).astype("float32")
    dataset = timeseries_dataset_from_array(series[:-8], series[8:], sequence_length=8,
                                            batch_size=32)
    model = minilib.Sequential([minilib.Input(shape=(8,)), minilib.layers.Dense(1)])
    model.compile(optimizer=minilib.optimizers.Adam(0.05), loss="mse")
    history = model.fit(dataset, epochs=10, verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]
