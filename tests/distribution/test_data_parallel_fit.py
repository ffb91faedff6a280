"""fit on two real processes (torchrun, gloo on the CPU) equals fit on one process.

One torchrun launch runs `data_parallel_script.py` on two processes; the oracle is the
same code run in this process without a distribution (`one_process` in conftest.py). The
training data leaves a last batch of 5 samples, shared 3 + 2, so the gradient weighting
of uneven slices is tested too.
"""

import csv
import json
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

import minilib

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "distribution" / "data_parallel_script.py"
TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}  # float32 sums in another order


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    """(output folder, [results of process 0, results of process 1])."""
    out = tmp_path_factory.mktemp("two_processes")
    env = {name: value for name, value in os.environ.items()
           if name not in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")}
    env.update(OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    launch = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=2",
         str(SCRIPT), str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert launch.returncode == 0, f"torchrun failed:\n{launch.stdout[-4000:]}\n" \
                                   f"{launch.stderr[-4000:]}"
    return out, [json.loads((out / f"results_{rank}.json").read_text()) for rank in (0, 1)]


def test_both_processes_end_with_the_weights_of_one_process(two_processes, one_process):
    _, results = two_processes
    expected = one_process[2]
    for rank, result in enumerate(results):
        for name in ("weights", "subclassed_weights"):
            for got, want in zip(result[name], expected[name], strict=True):
                np.testing.assert_allclose(got, want, **TOLERANCE,
                                           err_msg=f"{name} of process {rank}")


def test_loss_and_metrics_are_those_of_the_whole_batch(two_processes, one_process):
    _, results = two_processes
    expected = one_process[2]
    for result in results:
        assert result["history"].keys() == expected["history"].keys()
        for name, values in expected["history"].items():
            np.testing.assert_allclose(result["history"][name], values, **TOLERANCE,
                                       err_msg=name)
        for name, value in expected["evaluation"].items():
            np.testing.assert_allclose(result["evaluation"][name], value, **TOLERANCE,
                                       err_msg=f"evaluate: {name}")
        for step in ("train", "test"):
            for name, value in expected["on_batch"][step].items():
                np.testing.assert_allclose(result["on_batch"][step][name], value, **TOLERANCE,
                                           err_msg=f"{step}_on_batch: {name}")


def test_only_process_0_prints_and_it_prints_the_single_process_lines(two_processes,
                                                                       one_process):
    out, _ = two_processes
    assert (out / "stdout_1.txt").read_text() == ""
    printed = (out / "stdout_0.txt").read_text()
    assert _without_timings(printed) == _without_timings(one_process[1])
    assert printed.startswith("Epoch 1/2 - 7 steps")


def test_only_process_0_writes_checkpoints_and_logs(two_processes, one_process):
    out, _ = two_processes
    assert list((out / "files_1").iterdir()) == []
    written = out / "files_0"
    assert sorted(p.name for p in written.iterdir()) == ["ckpt-1.keras", "ckpt-2.keras",
                                                          "log.csv"]
    expected_folder = one_process[0]
    (got_header, got_rows), (expected_header, expected_rows) = (
        _read_csv(folder / "log.csv") for folder in (written, expected_folder))
    assert got_header == expected_header
    np.testing.assert_allclose(got_rows, expected_rows, **TOLERANCE)
    saved = minilib.saving.load_model(written / "ckpt-2.keras")
    expected = minilib.saving.load_model(expected_folder / "ckpt-2.keras")
    for got, want in zip(saved.get_weights(), expected.get_weights(), strict=True):
        np.testing.assert_allclose(got, want, **TOLERANCE)


def test_batches_too_small_to_share_raise_an_error_naming_the_sizes(two_processes):
    _, results = two_processes
    for result in results:
        errors = result["errors"]
        assert "DataParallel with 2 processes" in errors["batch_size_1"]
        assert "Use batch_size >= 2" in errors["batch_size_1"]
        assert "With 33 samples and batch_size=16, the last batch has 1" in \
            errors["last_batch_1"]
        assert "a batch of 1 sample can't be shared" in errors["one_sample_batch"]


def test_each_process_knows_its_place(two_processes):
    _, results = two_processes
    assert [r["num_processes"] for r in results] == [2, 2]
    assert [r["is_main_process"] for r in results] == [True, False]


def _without_timings(printed):
    return re.sub(r" in \d+\.\ds", "", printed)


def _read_csv(path):
    with open(path, newline="") as file:
        header, *rows = csv.reader(file)
    return header, np.array(rows, dtype=float)
