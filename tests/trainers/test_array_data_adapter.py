"""Batches from in-memory arrays: every sample once per epoch, its x, y and weight together."""

import numpy as np
import torch

from minilib.trainers.data_adapters.array_data_adapter import ArrayDataAdapter


def numbered_samples(count=50):
    """x rows holding their own number, y the number, sample_weight twice it."""
    x = np.repeat(np.arange(count, dtype="float32")[:, None], 3, axis=1)
    return x, np.arange(count), np.arange(count) * 2.0


def test_shuffled_batches_are_a_permutation_with_x_y_and_weights_aligned():
    x, y, weights = numbered_samples()
    adapter = ArrayDataAdapter({"a": x, "b": x[:, :1]}, y, weights, batch_size=8, shuffle=True)
    batches = list(adapter.batches())
    assert [len(b[1]) for b in batches] == [8] * 6 + [2]
    seen = torch.cat([b[1] for b in batches])
    assert sorted(seen.tolist()) == list(range(50)) and seen.tolist() != list(range(50))
    for inputs, labels, sample_weight in batches:
        assert inputs["a"].dtype == torch.float32 and labels.dtype == torch.int64
        assert torch.equal(inputs["a"][:, 0].long(), labels)
        assert torch.equal(inputs["b"][:, 0].long(), labels)
        assert torch.equal(sample_weight, labels.float() * 2)  # float64 weights -> float32


def test_unshuffled_batches_are_views_of_the_arrays_in_order():
    x, y, _ = numbered_samples()
    adapter = ArrayDataAdapter(x, y, batch_size=16, shuffle=False)
    batches = list(adapter.batches())
    assert torch.cat([b[1] for b in batches]).tolist() == list(range(50))
    first_x = batches[0][0]
    assert first_x.untyped_storage().data_ptr() == adapter.data[0].untyped_storage().data_ptr()


def test_batch_shuffle_keeps_each_batch_contiguous():
    x, y, _ = numbered_samples(48)
    adapter = ArrayDataAdapter(x, y, batch_size=8, shuffle="batch")
    for _, labels, _ in adapter.batches():
        assert labels.tolist() == list(range(int(labels[0]), int(labels[0]) + 8))
