"""A Jupyter kernel manager whose kernel, the notebook's own, runs inside a `Sandbox`.

The kernel is the one the notebook's kernelspec names (`metadata.kernelspec.name`, "python3"
when it names none), found by jupyter_client's KernelSpecManager, as nbclient finds it under
nbgrader: `JUPYTER_PATH`, the virtual environment's `share/jupyter/kernels`, and so on.

    spec = find_kernel(kernel_name(nb.metadata))   # NoSuchKernel if it is not installed
    spec.argv                                      # [".../python", "-m", "bash_kernel", ...]

Only the kernel is jailed. Papermill, which sends it cells and collects the outputs, stays on
the host, out of reach of student code, so the results it writes cannot be forged by a
background process in the sandbox. The two talk over ZeroMQ unix sockets (`transport="ipc"`)
in a private directory shared with the sandbox, since the sandbox has no network.
"""

import os
import subprocess
import sys
from string import Template

from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

DEFAULT_KERNEL = "python3"  # nbclient's, for a notebook whose metadata names no kernel
# argv[0] that jupyter_client replaces with the interpreter it runs in
MAJOR, MINOR = sys.version_info[:2]
THIS_PYTHON = {"python", f"python{MAJOR}", f"python{MAJOR}.{MINOR}"}
# What every kernel's environment has, as under nbgrader's autograde (notebooks may test it).
GRADING_ENVIRONMENT = {"NBGRADER_EXECUTION": "autograde"}


def kernel_name(metadata):
    """The kernel a notebook's metadata asks for; 'python3' (nbclient's default) if none."""
    return (metadata.get("kernelspec") or {}).get("name") or DEFAULT_KERNEL


def find_kernel(name):
    """The installed kernelspec called `name`, with its `name` set (jupyter_client leaves it
    empty); raises jupyter_client's NoSuchKernel. 'python' (older notebooks, nbgrader's own
    among them) means 'python3', as jupyter_client's KernelManager, which nbgrader runs,
    takes it."""
    name = NATIVE_KERNEL_NAME if name == "python" else name
    spec = KernelSpecManager().get_kernel_spec(name)
    spec.name = name
    return spec


def is_python(spec):
    """Whether the kernelspec's language is Python (the test guard is Python code)."""
    return spec.language.lower() == "python"


def kernel_program(spec):
    """The program that starts the kernel, as jupyter_client runs it: 'python' means this
    interpreter; `{resource_dir}` and `{prefix}` are filled in."""
    program = spec.argv[0]
    if program in THIS_PYTHON:
        return sys.executable
    return program.replace("{resource_dir}", spec.resource_dir).replace("{prefix}", sys.prefix)


SHUTDOWN_WAIT_SECONDS = 30.0  # for a kernel asked to end (SIGTERM after half of it)


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel of kernelspec `spec` jailed by `sandbox`, with its sockets and log in
    `runtime_dir`.

    The kernelspec's `env` is set inside the sandbox (its `${VAR}`s filled from the sandbox's
    environment, never the host's), after NBGRADER_EXECUTION=autograde. Interrupts go as
    `interrupt_request` messages, whatever the kernelspec says: a signal to the process we
    started would reach bubblewrap, not the kernel. The kernel's own stdout and stderr (not
    cell outputs, which travel as messages) go to `kernel_log`, capped by the sandbox's
    file-size limit.
    """

    def __init__(self, sandbox, runtime_dir, kernel_log, spec, **kwargs):
        self.sandbox = sandbox
        self.kernel_log = kernel_log
        connection_file = os.path.join(runtime_dir, "kernel.json")
        # the name tells nbclient whether the kernel is ipykernel's own, as under nbgrader
        # A graceful shutdown ends the kernel, then the sandbox copies the files the notebook
        # wrote to its outbox; jupyter_client's default (5 s, SIGTERM after half) could cut
        # that copy short on a busy machine and lose the files. The cgroup kills what is left.
        kwargs.setdefault("shutdown_wait_time", SHUTDOWN_WAIT_SECONDS)
        super().__init__(transport="ipc", connection_file=connection_file,
                         kernel_name=spec.name, **kwargs)
        self._sandboxed_spec = KernelSpec(
            argv=spec.argv,
            display_name=f"{spec.display_name} (sandboxed)",
            language=spec.language,
            resource_dir=spec.resource_dir,
            interrupt_mode="message",
        )
        sandbox_env = sandbox.environment()
        self.kernel_env = {**GRADING_ENVIRONMENT, **{
            key: Template(value).safe_substitute(sandbox_env) for key, value in spec.env.items()}}

    @property
    def kernel_spec(self):
        return self._sandboxed_spec

    def format_kernel_cmd(self, extra_arguments=None):
        settings = [f"{key}={value}" for key, value in self.kernel_env.items()]
        return self.sandbox.command(["env", *settings,
                                     *super().format_kernel_cmd(extra_arguments)])

    def write_connection_file(self, **kwargs):
        """The kernel runs as the slot's uid: it must be able to read its connection file."""
        super().write_connection_file(**kwargs)
        if self.sandbox.switches_uid:
            os.chown(self.connection_file, self.sandbox.slot.uid, self.sandbox.slot.gid)

    async def start_kernel(self, **kwargs):
        kwargs.update(stdout=subprocess.DEVNULL, stderr=self.kernel_log)
        kwargs["cwd"] = self.sandbox.host_cwd()
        kwargs["env"] = self.sandbox.environment()
        await super().start_kernel(**kwargs)

    def exit_status(self):
        """How the kernel process ended (None while it runs): its exit code, or 128+signal."""
        process = getattr(self.provisioner, "process", None)
        return None if process is None else process.poll()
