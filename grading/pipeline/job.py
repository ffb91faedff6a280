"""A job: one submission's execution, as the runner hands it to a pool.

The runner builds the job (a JSON-able dict: the student, the notebooks to run, the folders of
the prepared notebooks, of the staged files and for the executed results, the limits, the
parameters, whether to sandbox, the error output of an interrupted cell) and submits it to a
pool: this machine's slots (`runner.LocalPool`) or a Dask cluster's workers
(`cluster.ClusterPool`). Both pools share what is here: how long a job may take before its
executor counts as hung, and the error a pool raises when a job breaks down through no fault
of the student, which the runner records as a grader error, to be retried.

    time_limit({"limits": Limits().to_dict(), "notebooks": ["ps1", "ps1_extra"]})
    # 1560: per notebook 600 s (its limit) + 2 * 60 s (a cell's) + 60 s (STARTUP_SECONDS)
"""

from .sandbox import Limits

STARTUP_SECONDS = 60  # allowance for a worker and its kernels to start


class GraderError(RuntimeError):
    """Grading broke down for a submission, through no fault of the student."""


def time_limit(job):
    """Seconds a job may take before its worker counts as hung: per notebook, its time limit,
    twice a cell's (a cell interrupted, then waited for) and the kernel's start."""
    limits = Limits(**job["limits"])
    per_notebook = limits.notebook_timeout + 2 * limits.cell_timeout + STARTUP_SECONDS
    return per_notebook * len(job["notebooks"])
