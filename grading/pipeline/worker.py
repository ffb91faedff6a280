"""One long-lived worker process per slot, which executes that slot's submissions in turn.

The worker is grader code, on the host: it drives the sandboxed kernels with papermill. It
starts once per slot and run, because importing papermill, nbclient, nbformat and nbgrader
costs about 1 s of CPU, which a process per submission would pay every time. The runner
starts it (`start`) as soon as it knows the slot will have work, so that this import overlaps
the runner's own preparation of the submissions. Student code never runs in it: each
notebook still gets a fresh kernel in a fresh sandbox (`execute.run_job`).

The runner side (`Worker`) writes a job file's path on the worker's stdin and waits, up to a
time limit, for one reply line on the worker's stdout: "done" or "failed" (an exception, whose
traceback is in the job's log). While it runs a job, the worker's stdout and stderr go to
that job's log; otherwise to the slot's log. A worker that dies or hangs is killed and
replaced for the next job. Any job that fails becomes a grader error. Closing its stdin ends
it at once: everything it wrote is on disk by then, so it skips the interpreter's clean-up.
"""

import json
import os
import select
import subprocess
import sys
import threading
import time
import traceback
from contextlib import contextmanager


class WorkerFailed(RuntimeError):
    """The worker could not finish the job; the message says why, with its log's path."""


class Worker:
    """The runner's handle on one slot's worker process (`start`ed early, or on first use)."""

    def __init__(self, slot, log_path, cgroup=None):
        self.slot = slot
        self.log_path = log_path  # the worker's output outside jobs
        self.cgroup = cgroup  # a SlotCgroup or None
        self.process = None

    def run(self, job_path, log_path, timeout):
        """Run the job in `job_path` in the worker; raise WorkerFailed if it does not finish."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        try:
            self.process.stdin.write(f"{job_path}\n")
            self.process.stdin.flush()
        except BrokenPipeError:  # it died since its last job
            reply = ""
        else:
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            reply = self.process.stdout.readline().strip() if ready else None
        if reply == "done":
            return
        if reply == "failed":
            raise WorkerFailed(f"{_last_line(log_path)} (worker log: {log_path})")
        self.stop()
        if reply is None:
            raise WorkerFailed(f"the worker hung and was killed (log: {log_path})")
        raise WorkerFailed(f"the worker died: {_last_line(self.log_path)} "
                           f"(logs: {log_path}, {self.log_path})")

    def stop(self):
        """End the worker: closing its stdin asks it to exit; a worker that is stuck is killed."""
        if self.process is None:
            return
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.process = None
        if self.cgroup:
            self.cgroup.kill_all()  # the kernel of a killed worker

    def start(self):
        """Start the worker process, which imports what it needs, then waits for a job."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "grading.pipeline.worker", str(os.getpid())],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
            )


def _last_line(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [line.strip() for line in f if line.strip()]
    except FileNotFoundError:
        lines = []
    return lines[-1] if lines else "the worker failed without a message"


def serve(parent):
    """The worker's loop: one job per line of stdin, one reply per job, until stdin closes."""
    from .execute import run_job  # papermill and nbgrader: loaded here, not in the parent

    exit_with_parent(parent)
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    own_log = os.dup(2)
    os.dup2(own_log, 1)
    for line in sys.stdin:
        with open(line.strip(), encoding="utf-8") as f:
            job = json.load(f)
        with output_to(job["log"], own_log):
            try:
                run_job(job)
                reply = "done"
            except Exception:
                traceback.print_exc()
                reply = "failed"
        replies.write(reply + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # nothing left to clean up: skip the interpreter's slow teardown


@contextmanager
def output_to(log_path, own_log):
    """Send this process's stdout and stderr (file descriptors 1 and 2) to `log_path`, then
    back to `own_log`."""
    sys.stdout.flush()
    sys.stderr.flush()
    with open(log_path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(own_log, 1)
            os.dup2(own_log, 2)


def exit_with_parent(parent):
    """If the `course autograde` process (pid `parent`) dies, even by SIGKILL, stop: a resumed
    run redoes this submission. Our kernels die with us (bwrap --die-with-parent)."""

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    serve(int(sys.argv[1]))
