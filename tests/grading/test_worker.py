"""A slot's long-lived worker process: jobs in turn, failures reported, a hung worker replaced.

These jobs run unsandboxed (`"sandboxed": False`): what is tested here is the worker, not
the jail.
"""

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from grading.pipeline.sandbox import Limits, Slot
from grading.pipeline.worker import Worker, WorkerFailed

pytestmark = pytest.mark.slow


def write_job(tmp_path, name, source):
    """A job executing a one-cell notebook; return (job path, log path)."""
    job_dir = tmp_path / name
    (job_dir / "files").mkdir(parents=True)
    nbformat.write(new_notebook(cells=[new_code_cell(source)]), job_dir / "nb.ipynb")
    job = {"notebooks": ["nb"], "prepared_dir": str(job_dir), "files_dir": str(job_dir / "files"),
           "executed_dir": str(job_dir / "executed"), "limits": Limits(cell_timeout=20).to_dict(),
           "parameters": {}, "sandboxed": False, "slot": 0, "cgroup": None,
           "log": str(job_dir / "worker.log")}
    (job_dir / "job.json").write_text(json.dumps(job))
    return str(job_dir / "job.json"), job["log"]


def executed_output(tmp_path, name):
    nb = nbformat.read(tmp_path / name / "executed" / "nb.ipynb", as_version=4)
    return nb.cells[-1].outputs[0]["text"]


def test_one_worker_runs_jobs_in_turn_and_is_replaced_when_it_hangs(tmp_path):
    worker = Worker(Slot(0), tmp_path / "worker.log")
    try:
        worker.run(*write_job(tmp_path, "first", "print('one')"), timeout=60)
        process = worker.process
        worker.run(*write_job(tmp_path, "second", "print('two')"), timeout=60)
        assert worker.process is process
        assert [executed_output(tmp_path, n) for n in ("first", "second")] == ["one\n", "two\n"]

        with pytest.raises(WorkerFailed, match="the worker hung and was killed"):
            worker.run(*write_job(tmp_path, "hang", "import time; time.sleep(30)"), timeout=3)
        assert worker.process is None and process.poll() is not None

        job_path, log_path = write_job(tmp_path, "broken", "")
        (tmp_path / "broken" / "nb.ipynb").write_text("not a notebook")
        with pytest.raises(WorkerFailed, match=r"NotJSONError.*\(worker log: .*worker.log\)"):
            worker.run(job_path, log_path, timeout=60)
        worker.run(*write_job(tmp_path, "after", "print('three')"), timeout=60)
        assert executed_output(tmp_path, "after") == "three\n"
    finally:
        worker.stop()
