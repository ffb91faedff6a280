"""Run a notebook with papermill against a sandboxed kernel, every cell, whatever happens.

The kernel is the notebook's own (its kernelspec, `kernel`). Papermill drives nbclient and,
in a notebook with a cell tagged `parameters`, injects the parameters (a seed, ...) after it,
in the kernel's language; a notebook without one gets nothing injected. The injected cell
runs without storing history (in IPython: without taking an execution count) and is removed
before the notebook is saved: students never see a cell they did not write (its values stay
in the metadata, `papermill.parameters`).
`GradingClient` hardens papermill's client for untrusted code:

* every cell runs, even after one fails (`allow_errors`);
* a cell that exceeds the cell time limit is interrupted (its KeyboardInterrupt is followed by
  nbgrader's CellTimeoutError, c.Execute.error_on_timeout) and the next cell runs; if it ignores
  the interrupt for another time limit, or the notebook time limit is reached, or the kernel
  dies, the kernel is stopped and every cell not run gets an error output saying why, so that
  nbgrader scores it 0 (nbgrader gives full marks to a test cell with no output);
* the same happens when the sandbox runs out of memory, all its processes together (the
  out-of-memory killer of its slot's cgroup killed one of them): a memory failure;
* an execute reply with status "error" but no error output (student code silenced IPython's
  traceback display) gets the error output added;
* in a Python kernel, test cells are run by the test guard (`grading.pipeline.guard`), not by
  IPython's `run_cell`: it first puts back whatever student code replaced among the functions
  and names the tests rely on and among IPython's hooks, reported as tampering, then runs the
  instructor's source and answers, signed, with its outputs; a student whose code removes,
  blocks or forges the guard has the notebook stopped (other kernels run tests as any cell);
* outputs beyond `Limits.output_bytes` are dropped, so a flood cannot exhaust the grader;
* Python warnings go to stdout (Python kernels): nbgrader scores 0 any test cell that writes
  to stderr;
* the environment variable NBGRADER_EXECUTION is "autograde", as under nbgrader's autograde
  (set by `kernel`, for any kernel).

`run_job` executes one submission's notebooks; a slot's worker process calls it (`worker`).
"""

import asyncio
import contextlib
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from queue import Empty

import nbformat
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_code_cell, new_output
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine
from papermill.parameterize import parameterize_notebook
from papermill.utils import find_first_tagged_cell_index

from .. import atomic
from . import guard
from .cell_labels import cell_label, is_injected
from .cgroup import SlotCgroup
from .kernel import SandboxedKernelManager, find_kernel, is_python, kernel_name
from .sandbox import Limits, Sandbox, Slot
from .written_files import keep_written_files

# Run in each Python kernel before any cell: Python warnings sent to stdout.
KERNEL_SETUP = """\
def _warning_to_stdout(message, category, filename, lineno, file=None, line=None):
    import sys, warnings
    sys.stdout.write(warnings.formatwarning(message, category, filename, lineno, line))
import warnings as _warnings
_warnings.showwarning = _warning_to_stdout
del _warnings, _warning_to_stdout
"""

NOT_RUN = "NotRun"
TAMPERED = "TamperedDuringTest"
GUARD_GRACE = 5  # seconds a reply may lag behind the kernel going idle
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


def error_output(ename, evalue):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class GradingClient(PapermillNotebookClient):
    """Papermill's notebook client, hardened for untrusted code (see the module docstring)."""

    def __init__(self, nb_man, km, limits, outcome, guarded_imports, timeout_error=None,
                 **kwargs):
        super().__init__(nb_man, km=km, **kwargs)
        self.limits = limits
        self.outcome = outcome
        self.timeout_error = timeout_error  # nbgrader's error output for an interrupted cell
        self.guard = guard.Guard(guarded_imports)
        self.guard_running = False  # the outputs of a test cell come from the guard's answer
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
        if is_python(self.km.kernel_spec):
            self.wait_for_reply(self.kc.execute(KERNEL_SETUP, silent=True))
            self._install_guard()
        else:  # the guard is Python code; the run's summary says these tests are unguarded
            self.guard = None
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
                if self.guard and _is_test(cell):
                    self._run_test(cell, index)
                elif is_injected(cell):
                    self._run_parameters(cell, index)
                else:
                    self.execute_cell(cell, index)
                if index in self.interrupted and self.timeout_error:
                    cell.outputs.append(new_output("error", **self.timeout_error))
                out_of_memory = self._out_of_memory()
                if out_of_memory:
                    raise StopNotebook(out_of_memory)
            except (StopNotebook, DeadKernelError) as stop:
                stopped = self._stop(index, stop)
                self._mark_not_run(self.nb.cells[index], stopped)
            finally:
                self.nb_man.cell_complete(self.nb.cells[index], cell_index=index)

    def _install_guard(self):
        """Before any student code: register the guard, then let it take its snapshot."""
        reply = self.wait_for_reply(self.kc.execute(self.guard.setup_code(), silent=True))
        content = (reply or {}).get("content", {})
        answer = None
        if content.get("status") == "ok":
            request = self.guard.baseline_request()
            answer = self._ask_guard(request, new_code_cell(), 0)
        if (answer or {}).get("kind") != "baseline":
            reason = ((answer or {}).get("error", "no answer") if content.get("status") == "ok"
                      else f"{content.get('ename')}: {content.get('evalue')}")
            self.outcome.problems.append(["kernel start",
                                          f"the test guard could not be set up: {reason}"])
            self.guard = None

    def _run_parameters(self, cell, index):
        """Papermill's injected cell, without storing history (so that, in IPython, the
        student's cells keep their numbers). It is not kept: a failure is reported instead."""
        self.execute_cell(cell, index, store_history=False)
        for output in cell.outputs:
            if output.output_type == "error":
                self.outcome.problems.append(["parameters", "the injected parameters failed: "
                                              f"{output.ename}: {output.evalue}"])

    def _run_test(self, cell, index):
        """Have the guard run test cell `index`; report what it put back; its outputs."""
        request = self.guard.test_request(cell.source, self.limits.output_bytes)
        cell.outputs, cell.execution_count = [], None
        answer = self._ask_guard(request, cell, index)
        label = cell_label(self.nb, index)
        if (answer or {}).get("kind") != "test":
            self.outcome.tampering.append([label, "removed or broke the grader's test guard"])
            raise StopNotebook("the student's code disabled the grader's test guard")
        if answer["changed"]:
            self.outcome.tampering.append([label, f"replaced {_listing(answer['changed'])}; "
                                          "put back before this test cell"])
        if answer["rebound"]:
            self.outcome.problems.append([label, f"the name(s) {_listing(answer['rebound'])} no "
                                          "longer meant what the assignment imports; set back "
                                          "for this test cell"])
        for name in ("stdout", "stderr"):
            if answer[name]:
                self._add_stream(cell, index, name, answer[name])
        if answer["during"]:
            changes = _listing(answer["during"])
            self.outcome.tampering.append([label, f"changed {changes} while this test cell ran; "
                                          "the test is failed"])
            cell.outputs.append(error_output(TAMPERED, f"changed while the test ran: {changes}"))
        elif answer["status"] == "error":
            cell.outputs.append(new_output(
                "error", ename=answer["ename"], evalue=answer["evalue"][:DECISIVE_TEXT_LIMIT],
                traceback=[line[:DECISIVE_TEXT_LIMIT] for line in answer["traceback"]]
                or [f"{answer['ename']}: {answer['evalue']}"]))
        elif answer["result"] is not None:
            cell.outputs.append(new_output("execute_result", {"text/plain": answer["result"][
                :DECISIVE_TEXT_LIMIT]}, execution_count=None))

    def _add_stream(self, cell, index, name, text):
        """A stream of the guard's answer, within the notebook's output budget."""
        budget = self.limits.output_bytes - self.output_bytes
        if budget > 0:
            cell.outputs.append(new_output("stream", name=name, text=text[:budget]))
            self.output_bytes += min(len(text), budget)
        if len(text) > budget:
            self._truncated(cell.outputs, index)

    def _ask_guard(self, request, cell, index):
        """Send `request` to the guard; its checked answer, or None if none came."""
        self.guard_running = True
        try:
            reply = run_sync(self._async_ask_guard)(request, cell, index)
        finally:
            self.guard_running = False
        return reply and self.guard.read_answer(request, reply["content"])

    async def _async_ask_guard(self, request, cell, index):
        """Like nbclient's cell execution, for the guard's message: wait for the reply (cell
        time limits and kernel death as for any cell); collect displays meanwhile. None when
        the kernel went idle without answering: the student's code blocked the message."""
        if self.record_timing:
            cell["metadata"]["execution"] = {}
        message = self.kc.session.msg(self.guard.message_type, request)
        self.kc.shell_channel.send(message)
        msg_id = message["header"]["msg_id"]
        outputs = asyncio.ensure_future(self._async_poll_output_msg(msg_id, cell, index))
        timeout = self._get_timeout(cell)
        started, idle_since = time.monotonic(), None
        try:
            while True:
                try:
                    reply = await ensure_async(self.kc.shell_channel.get_msg(timeout=1))
                except Empty:
                    await self._async_check_alive()
                    now = time.monotonic()
                    if outputs.done():
                        idle_since = idle_since or now
                        if now - idle_since > GUARD_GRACE:
                            return None
                    elif timeout and now - started > timeout:
                        await self._async_handle_timeout(timeout, cell)
                        started = now
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(asyncio.shield(outputs), self.iopub_timeout)
                    return reply
        finally:
            outputs.cancel()

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
        drop later ones. Errors and results decide grades: always keep them, shortened. While
        the guard runs a test, those come from its answer: only displays are taken here."""
        content = msg["content"]
        if self.guard_running and msg["msg_type"] not in ("display_data", "update_display_data"):
            return None
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


def _is_test(cell):
    """An autograder test: a graded code cell that is not a student's answer (nbgrader's
    `is_grade` and `is_solution`, read from the metadata here: importing nbgrader would cost
    each worker half a second)."""
    role = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(role.get("grade")) and not role.get("solution")


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
            timeout_error=grading["timeout_error"],
            kernel_name=kernel_name,
            allow_errors=True,
            raise_on_iopub_timeout=False,
            iopub_timeout=max(2, int(grading["limits"].cell_timeout)),
            startup_timeout=60,
        )
        return client.execute()


def execute_notebook(nb, name, sandbox, limits, parameters, runtime_dir, kernel=None,
                     timeout_error=None):
    """Execute `nb` in place in a fresh sandboxed kernel; return the notebook's Outcome.
    `kernel` is its kernelspec (`kernel.find_kernel`), found from its metadata if None; the
    sandbox must show the kernelspec's folder (`Sandbox(kernel_dirs=...)`). A cell interrupted
    at the time limit gets `timeout_error` (c.Execute.error_on_timeout) after its outputs."""
    outcome = Outcome(notebook=name)
    started = time.monotonic()
    log_path = os.path.join(runtime_dir, f"{name}.kernel.log")
    kernel = kernel or find_kernel(kernel_name(nb.metadata))
    with open(log_path, "ab") as kernel_log:
        km = SandboxedKernelManager(sandbox, runtime_dir, kernel_log, kernel)
        guarded_imports = nb.metadata.pop(guard.GUARDED_IMPORTS, {})
        nb.metadata.setdefault("papermill", {})
        for cell in nb.cells:  # papermill expects every cell to have a tags list
            cell.metadata.setdefault("tags", [])
        if find_first_tagged_cell_index(nb, "parameters") >= 0:
            injected = parameterize_notebook(nb, parameters, kernel_name=kernel.name,
                                             language=kernel.language)
            nb.cells[:] = injected.cells
            nb.metadata.update(injected.metadata)
        try:
            GradingEngine.execute_notebook(
                nb,
                kernel.name,
                progress_bar=False,
                grading={"km": km, "limits": limits, "outcome": outcome,
                         "guarded_imports": guarded_imports, "timeout_error": timeout_error},
            )
        finally:
            if km.has_kernel:  # asked to end, the sandbox keeps the files it wrote
                run_sync(km.shutdown_kernel)(now=False)
            run_sync(km.cleanup_resources)()
            nb.cells[:] = [cell for cell in nb.cells if not is_injected(cell)]
    outcome.seconds = round(time.monotonic() - started, 2)
    return outcome


def run_job(job):
    """Execute every prepared notebook of one submission (see `grading.pipeline.runner`)."""
    limits = Limits(**job["limits"])
    outcomes = []
    for name in job["notebooks"]:
        nb = nbformat.read(os.path.join(job["prepared_dir"], f"{name}.ipynb"), as_version=4)
        kernel = find_kernel(kernel_name(nb.metadata))
        runtime_dir = tempfile.mkdtemp(prefix="course-kernel-")
        files = job["files_dir"]
        if not job["sandboxed"]:
            files = shutil.copytree(files, os.path.join(runtime_dir, "work"))
        cgroup = SlotCgroup.from_json(job["cgroup"]) if job.get("cgroup") else None
        sandbox = Sandbox(
            Slot(job["slot"]), limits, files, [runtime_dir], enabled=job["sandboxed"],
            cgroup=cgroup, outbox=os.path.join(runtime_dir, "outbox"),
            kernel_dirs=[kernel.resource_dir],
        )
        if sandbox.switches_uid:
            os.chown(runtime_dir, sandbox.slot.uid, sandbox.slot.gid)
        try:
            outcome = execute_notebook(nb, name, sandbox, limits, job["parameters"], runtime_dir,
                                       kernel, job.get("timeout_error"))
        finally:
            if cgroup:
                cgroup.kill_all()  # a kernel that was stopped leaves nothing behind
            keep_log(runtime_dir, name, job["executed_dir"])
            written = keep_written_files(sandbox.written_files_dir(), job["files_dir"],
                                         job["executed_dir"], limits.output_bytes)
            shutil.rmtree(runtime_dir, ignore_errors=True)
        outcome.problems += written
        atomic.write_notebook(os.path.join(job["executed_dir"], f"{name}.ipynb"), nb)
        outcomes.append(outcome.to_dict())
    atomic.write_json(os.path.join(job["executed_dir"], "outcome.json"), {"notebooks": outcomes})


def keep_log(runtime_dir, name, executed_dir):
    log = os.path.join(runtime_dir, f"{name}.kernel.log")
    if os.path.exists(log):
        os.makedirs(executed_dir, exist_ok=True)
        shutil.copyfile(log, os.path.join(executed_dir, f"{name}.kernel.log"))
