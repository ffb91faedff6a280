"""minilib.distribution in one process: the plain run, the names, and the clear errors."""

import json
import os

import numpy as np
import pytest

import minilib
from minilib import distribution
from minilib.distribution.sharding import shard_bounds
from tests.distribution import data_parallel_script


def test_the_script_run_without_torchrun_is_a_plain_fit(tmp_path, one_process,
                                                        restore_distribution):
    data_parallel_script.main(tmp_path)
    results = json.loads((tmp_path / "results_0.json").read_text())
    assert results["num_processes"] == 1 and results["is_main_process"]
    assert results["errors"] == {}  # one process can train on batches of one sample
    for got, want in zip(results["weights"], one_process[2]["weights"], strict=True):
        np.testing.assert_array_equal(got, want)
    assert sorted(p.name for p in (tmp_path / "files_0").iterdir()) == [
        "ckpt-1.keras", "ckpt-2.keras", "log.csv"]
    assert (tmp_path / "stdout_0.txt").read_text().startswith("Epoch 1/2 - 7 steps")


def test_data_parallel_follows_keras_names_on_one_process(restore_distribution):
    data_parallel = distribution.DataParallel(devices=["cpu:0"])
    distribution.set_distribution(data_parallel)
    assert distribution.distribution() is data_parallel
    assert (data_parallel.num_processes, data_parallel.data_shard_id) == (1, 0)
    assert minilib.config.device().type == "cpu"
    assert distribution.list_devices("cpu") == ["cpu:0"]


def test_several_devices_in_one_process_ask_for_torchrun(restore_distribution):
    with pytest.raises(ValueError, match=r"names 2 devices, but this is a single process.*"
                                         r"torchrun --nproc-per-node=2"):
        distribution.DataParallel(devices=["cpu:0", "cpu:1"])


def test_unknown_device_and_wrong_distribution_are_named():
    with pytest.raises(ValueError, match="Unknown device 'tpu:0'"):
        distribution.DataParallel(devices=["tpu:0"])
    with pytest.raises(TypeError, match="expects a minilib.distribution.DataParallel.*str"):
        distribution.set_distribution("data_parallel")


def test_under_torchrun_list_devices_names_one_device_per_process(monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "3")
    assert distribution.list_devices("cpu") == ["cpu:0", "cpu:1", "cpu:2"]


def test_initialize_says_what_is_missing(monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "0")
    monkeypatch.delenv("MASTER_ADDR", raising=False)
    with pytest.raises(ValueError, match="job_addresses='host:port'"):
        distribution.initialize()
    with pytest.raises(ValueError, match="between 0 and 1 .* got process_id=5"):
        distribution.initialize(process_id=5)


@pytest.mark.parametrize("num_shards", [1, 2, 3, 5])
def test_shards_cover_each_batch_once_in_nearly_equal_slices(num_shards):
    for batch_size in range(num_shards, 40):
        bounds = [shard_bounds(batch_size, num_shards, shard) for shard in range(num_shards)]
        assert bounds[0][0] == 0 and bounds[-1][1] == batch_size
        assert all(bounds[i][1] == bounds[i + 1][0] for i in range(num_shards - 1))
        sizes = [stop - start for start, stop in bounds]
        assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True)


def test_more_processes_than_gpus_is_refused_before_connecting(monkeypatch):
    from minilib.distribution.process_group import join_process_group

    monkeypatch.delenv("LOCAL_RANK", raising=False)
    with pytest.raises(ValueError, match=r"Process 63 would train on GPU cuda:63, but this "
                                         r"machine has \d+ GPU\(s\)"):
        join_process_group("cuda", "127.0.0.1:29511", num_processes=64, process_id=63)
    assert os.environ.get("MASTER_PORT") != "29511"  # refused before touching the environment
