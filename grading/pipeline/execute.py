"""Run a notebook with papermill against a sandboxed kernel, every cell, whatever happens.

Papermill injects the parameters (a seed, ...) after the cell tagged `parameters` and drives
nbclient. `GradingClient` hardens papermill's client for untrusted code:

* every cell runs, even after one fails (`allow_errors`);
* a cell that exceeds the cell time limit is interrupted and the next cell runs; if it ignores
  the interrupt for another time limit, or the notebook time limit is reached, or the kernel
  dies, the kernel is stopped and every cell not run gets an error output saying why, so that
  nbgrader scores it 0 (nbgrader gives full marks to a test cell with no output);
* the same happens when the sandbox runs out of memory, all its processes together (the
  out-of-memory killer of its slot's cgroup killed one of them): a memory failure;
* an execute reply with status "error" but no error output (student code silenced IPython's
  traceback display) gets the error output added;
* before each grade cell, the test guard (`grading.pipeline.guard`) puts back whatever student
  code replaced among the functions and names the tests rely on, and the replacement is
  reported as tampering; a student who removes the guard has the notebook stopped;
* outputs beyond `Limits.output_bytes` are dropped, so a flood cannot exhaust the grader;
* Python warnings go to stdout: nbgrader scores 0 any test cell that writes to stderr;
* the environment variable NBGRADER_EXECUTION is "autograde", as under nbgrader's autograde.

`run_job` executes one submission's notebooks; a slot's worker process calls it (`worker`).
"""

import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader import utils
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine
from papermill.parameterize import parameterize_notebook

from .. import atomic
from . import guard
from .cgroup import SlotCgroup
from .kernel import SandboxedKernelManager
from .sandbox import Limits, Sandbox, Slot

# Run in each kernel before any cell: nbgrader's marker of autograding, which notebooks may
# test (its FAQ), and Python warnings sent to stdout.
KERNEL_SETUP = """\
import os as _os
_os.environ["NBGRADER_EXECUTION"] = "autograde"
def _warning_to_stdout(message, category, filename, lineno, file=None, line=None):
    import sys, warnings
    sys.stdout.write(warnings.formatwarning(message, category, filename, lineno, line))
import warnings as _warnings
_warnings.showwarning = _warning_to_stdout
del _os, _warnings, _warning_to_stdout
"""

NOT_RUN = "NotRun"
OUTPUT_LOST = "OutputLost"
DECISIVE_TEXT_LIMIT = 10_000
NAMES_LISTED = 8  # of the things the guard put back, in a tampering report


class StopNotebook(Exception):
    """The kernel cannot go on: the message says why, in words for the instructor."""


@dataclass
class Outcome:
    """What happened while running one notebook."""

    notebook: str
    completed: bool = True  # every cell was run
    failure: str | None = None  # why not
    problems: list = field(default_factory=list)  # [cell label, what happened]
    tampering: list = field(default_factory=list)  # [cell label, what the code did]
    seconds: float = 0.0

    def to_dict(self):
        return asdict(self)


def cell_label(nb, index):
    """'cell 7 (test_normalize)': 1-based position in the student's notebook, plus grade id."""
    cells = nb.cells[: index + 1]
    position = sum(1 for c in cells if "injected-parameters" not in c.metadata.get("tags", []))
    grade_id = nb.cells[index].metadata.get("nbgrader", {}).get("grade_id")
    return f"cell {position}" + (f" ({grade_id})" if grade_id else "")


def error_output(ename, evalue):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class GradingClient(PapermillNotebookClient):
    """Papermill's notebook client, hardened for untrusted code (see the module docstring)."""

    def __init__(self, nb_man, km, limits, outcome, guarded_imports, **kwargs):
        super().__init__(nb_man, km=km, **kwargs)
        self.limits = limits
        self.outcome = outcome
        self.guarded_imports = guarded_imports
        self.guard_name = guard.new_guard_name()
        self.cgroup = km.sandbox.cgroup
        self.oom_kills = self.cgroup.oom_kills() if self.cgroup else 0
        self.deadline = time.monotonic() + limits.notebook_timeout
        self.output_bytes = 0
        self.truncated = False
        self.current = 0  # index of the cell running
        self.interrupted = set()
        self.timeout_func = self._cell_time_limit
        self.finished = set()  # ids of requests whose outputs all arrived
        self.on_cell_executed = self._check_reply

    def execute(self, **kwargs):
        self.reset_execution_trackers()
        with self.setup_kernel(**kwargs):
            try:
                self.papermill_execute_cells()
            finally:
                self.kc.stop_channels()
        return self.nb

    def papermill_execute_cells(self):
        self.wait_for_reply(self.kc.execute(KERNEL_SETUP, silent=True))
        self._install_guard()
        stopped = None
        for index, cell in enumerate(self.nb.cells):
            if stopped:
                self._mark_not_run(cell, stopped)
                continue
            try:
                if time.monotonic() >= self.deadline:
                    raise StopNotebook(
                        f"the notebook time limit ({self.limits.notebook_timeout:g} s) was reached"
                    )
                self.current = index
                self.nb_man.cell_start(cell, index)
                if utils.is_grade(cell) and self.guard_name:
                    self._guard_tests(cell, index)
                self.execute_cell(cell, index)
                out_of_memory = self._out_of_memory()
                if out_of_memory:
                    raise StopNotebook(out_of_memory)
            except (StopNotebook, DeadKernelError) as stop:
                stopped = self._stop(index, stop)
                self._mark_not_run(self.nb.cells[index], stopped)
            finally:
                self.nb_man.cell_complete(self.nb.cells[index], cell_index=index)

    def _install_guard(self):
        """Before any student code: let the kernel remember what the tests rely on."""
        setup = guard.setup_code(self.guard_name, self.guarded_imports)
        reply = self.wait_for_reply(self.kc.execute(setup, silent=True))
        content = (reply or {}).get("content", {})
        if content.get("status") != "ok":
            self.outcome.problems.append(["kernel start", "the test guard could not be set up: "
                                          f"{content.get('ename')}: {content.get('evalue')}"])
            self.guard_name = None

    def _guard_tests(self, cell, index):
        """Put back what student code replaced, before grade cell `index` runs; report it."""
        request = self.kc.execute("", silent=True, user_expressions={
            "guard": guard.check_expression(self.guard_name)})
        reply = self.wait_for_reply(request, cell)
        if reply is None:
            raise StopNotebook("the kernel did not answer the grader's test guard")
        report = guard.read_report(reply["content"].get("user_expressions", {}))
        label = cell_label(self.nb, index)
        if report is None:
            self.outcome.tampering.append([label, "removed or broke the grader's test guard"])
            raise StopNotebook("the student's code disabled the grader's test guard")
        changed, rebound = report
        if changed:
            self.outcome.tampering.append([label, f"replaced {_listing(changed)}; put back "
                                          "before this test cell"])
        if rebound:
            self.outcome.problems.append([label, f"the name(s) {_listing(rebound)} no longer "
                                          "meant what the assignment imports; set back for "
                                          "this test cell"])

    def _stop(self, index, stop):
        """Kill the kernel and return the reason every remaining cell will carry."""
        label = cell_label(self.nb, index)
        if isinstance(stop, DeadKernelError):
            reason = f"the kernel died during {label}: {self._death_cause()}"
        else:
            reason = f"{stop} during {label}"
        run_sync(self.km.shutdown_kernel)(now=True)
        self.outcome.completed = False
        self.outcome.failure = reason + "; later cells were not run"
        return reason

    def _out_of_memory(self):
        """Why the sandbox failed, if its cgroup's out-of-memory killer has struck."""
        if self.cgroup and self.cgroup.oom_kills() > self.oom_kills:
            mib = self.limits.sandbox_memory_bytes // 2**20
            return (f"the sandbox ran out of memory ({mib} MiB for all its processes "
                    "together; the out-of-memory killer stopped one)")
        return None

    def _death_cause(self):
        out_of_memory = self._out_of_memory()
        if out_of_memory:
            return out_of_memory
        status = self.km.exit_status()
        if status is None or status < 0:
            return "it stopped responding"
        causes = {
            128 + 9: "killed (most likely it exceeded the memory limit)" if not self.cgroup
            else "killed by SIGKILL, not for memory: most likely by the student's own code",
            128 + 24: "CPU time limit exceeded",
            128 + 25: "file size limit exceeded",
            128 + 11: "segmentation fault",
            128 + 6: "aborted (possibly out of memory)",
        }
        if status in causes:
            return causes[status]
        return f"the student's code ended the kernel (exit status {status}: os._exit or similar)"

    def _mark_not_run(self, cell, reason):
        if cell.cell_type == "code" and not any(o.output_type == "error" for o in cell.outputs):
            cell.outputs.append(error_output(NOT_RUN, f"not run: {reason}"))

    def _cell_time_limit(self, cell):
        return max(1.0, min(self.limits.cell_timeout, self.deadline - time.monotonic()))

    async def _async_handle_timeout(self, timeout, cell=None):
        """First timeout: interrupt and wait once more. Second: the kernel ignores interrupts."""
        index = self.current
        label = cell_label(self.nb, index)
        if index in self.interrupted:
            raise StopNotebook(f"the kernel ignored an interrupt for {timeout:g} s")
        self.interrupted.add(index)
        self.outcome.problems.append([label, f"timed out after {timeout:g} s and was interrupted"])
        await self.km.interrupt_kernel()
        return None

    def _check_reply(self, cell, cell_index, execute_reply):
        """The reply, unlike the outputs, cannot be silenced or flooded away: trust it."""
        execute_reply = execute_reply or {}
        content = execute_reply.get("content", {})
        label = cell_label(self.nb, cell_index)
        has_error = any(o.output_type == "error" for o in cell.outputs)
        if content.get("status") == "error" and not has_error:
            ename = content.get("ename", "Error")
            cell.outputs.append(error_output(ename, content.get("evalue", "")))
            self.outcome.tampering.append([label, f"hid its {ename} from the error display"])
        elif execute_reply.get("parent_header", {}).get("msg_id") not in self.finished:
            cell.outputs.append(error_output(OUTPUT_LOST, "outputs could not all be collected"))
            self.outcome.problems.append([label, "outputs lost in a flood; counted as failed"])

    def process_message(self, msg, cell, cell_index):
        """Note each request whose outputs all arrived (the kernel went idle after it)."""
        content = msg["content"]
        if msg["msg_type"] == "status" and content.get("execution_state") == "idle":
            self.finished.add(msg["parent_header"].get("msg_id"))
        return super().process_message(msg, cell, cell_index)

    def output(self, outs, msg, display_id, cell_index):
        """Keep outputs up to the notebook's output budget: cut the stream that crosses it,
        drop later ones. Errors and results decide grades: always keep them, shortened."""
        content = msg["content"]
        budget = self.limits.output_bytes - self.output_bytes
        size = _output_size(content)
        self.output_bytes += min(size, max(budget, 0))
        if msg["msg_type"] == "error":
            content["evalue"] = content.get("evalue", "")[:DECISIVE_TEXT_LIMIT]
            lines = content["traceback"][-50:]
            content["traceback"] = [line[:DECISIVE_TEXT_LIMIT] for line in lines]
        elif msg["msg_type"] == "execute_result" and size > budget:
            text = str(content.get("data", {}).get("text/plain", ""))
            content["data"] = {"text/plain": text[:DECISIVE_TEXT_LIMIT]}
        elif size > budget:
            if msg["msg_type"] != "stream" or budget <= 0:
                return self._truncated(outs, cell_index)
            content["text"] = content["text"][:budget]
            out = super().output(outs, msg, display_id, cell_index)
            self._truncated(outs, cell_index)
            return out
        return super().output(outs, msg, display_id, cell_index)

    def _truncated(self, outs, cell_index):
        """Say once, where it happened, that outputs were cut."""
        if not self.truncated:
            self.truncated = True
            note = f"\n[output truncated: more than {self.limits.output_bytes} bytes]\n"
            outs.append(new_output("stream", name="stdout", text=note))
            label = cell_label(self.nb, cell_index)
            self.outcome.problems.append([label, "output truncated (output size limit)"])
        return None


def _listing(names):
    shown = ", ".join(names[:NAMES_LISTED])
    more = len(names) - NAMES_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _output_size(content):
    """Roughly the bytes an output adds to the notebook, cheap to compute for a flood."""
    if "text" in content:
        return len(content["text"])
    return sum(len(str(value)) for value in content.get("data", {}).values()) + 100


class GradingEngine(NBClientEngine):
    """Papermill's nbclient engine, executing with `GradingClient`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        grading = kwargs.pop("grading")
        client = GradingClient(
            nb_man,
            km=grading["km"],
            limits=grading["limits"],
            outcome=grading["outcome"],
            guarded_imports=grading["guarded_imports"],
            kernel_name=kernel_name,
            allow_errors=True,
            raise_on_iopub_timeout=False,
            iopub_timeout=max(2, int(grading["limits"].cell_timeout)),
            startup_timeout=60,
        )
        return client.execute()


def execute_notebook(nb, name, sandbox, limits, parameters, runtime_dir):
    """Execute `nb` in place in a fresh sandboxed kernel; return the notebook's Outcome."""
    outcome = Outcome(notebook=name)
    started = time.monotonic()
    log_path = os.path.join(runtime_dir, f"{name}.kernel.log")
    with open(log_path, "ab") as kernel_log:
        km = SandboxedKernelManager(sandbox, runtime_dir, kernel_log)
        guarded_imports = nb.metadata.pop(guard.GUARDED_IMPORTS, {})
        nb.metadata.setdefault("papermill", {})
        for cell in nb.cells:  # papermill expects every cell to have a tags list
            cell.metadata.setdefault("tags", [])
        injected = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
        nb.cells[:] = injected.cells
        nb.metadata.update(injected.metadata)
        try:
            GradingEngine.execute_notebook(
                nb,
                "python3",
                progress_bar=False,
                grading={"km": km, "limits": limits, "outcome": outcome,
                         "guarded_imports": guarded_imports},
            )
        finally:
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
            run_sync(km.cleanup_resources)()
    outcome.seconds = round(time.monotonic() - started, 2)
    return outcome


def run_job(job):
    """Execute every prepared notebook of one submission (see `grading.pipeline.runner`)."""
    limits = Limits(**job["limits"])
    outcomes = []
    for name in job["notebooks"]:
        nb = nbformat.read(os.path.join(job["prepared_dir"], f"{name}.ipynb"), as_version=4)
        runtime_dir = tempfile.mkdtemp(prefix="course-kernel-")
        files = job["files_dir"]
        if not job["sandboxed"]:
            files = shutil.copytree(files, os.path.join(runtime_dir, "work"))
        cgroup = SlotCgroup(job["cgroup"]) if job.get("cgroup") else None
        sandbox = Sandbox(
            Slot(job["slot"]), limits, files, [runtime_dir], enabled=job["sandboxed"],
            cgroup=cgroup,
        )
        if job["sandboxed"]:
            os.chown(runtime_dir, sandbox.slot.uid, sandbox.slot.gid)
        try:
            outcome = execute_notebook(nb, name, sandbox, limits, job["parameters"], runtime_dir)
        finally:
            if cgroup:
                cgroup.kill_all()  # a kernel that was stopped leaves nothing behind
            keep_log(runtime_dir, name, job["executed_dir"])
            shutil.rmtree(runtime_dir, ignore_errors=True)
        atomic.write_notebook(os.path.join(job["executed_dir"], f"{name}.ipynb"), nb)
        outcomes.append(outcome.to_dict())
    atomic.write_json(os.path.join(job["executed_dir"], "outcome.json"), {"notebooks": outcomes})


def keep_log(runtime_dir, name, executed_dir):
    log = os.path.join(runtime_dir, f"{name}.kernel.log")
    if os.path.exists(log):
        os.makedirs(executed_dir, exist_ok=True)
        shutil.copyfile(log, os.path.join(executed_dir, f"{name}.kernel.log"))
