"""A Jupyter kernel manager whose kernel runs inside a `Sandbox`.

Only the kernel is jailed. Papermill, which sends it cells and collects the outputs, stays on
the host, out of reach of student code, so the results it writes cannot be forged by a
background process in the sandbox. The two talk over ZeroMQ unix sockets (`transport="ipc"`)
in a private directory shared with the sandbox, since the sandbox has no network.
"""

import os
import subprocess
import sys

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

KERNEL_ARGV = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


class SandboxedKernelManager(AsyncKernelManager):
    """Starts ipykernel jailed by `sandbox`, with its sockets and log in `runtime_dir`.

    Interrupts go as `interrupt_request` messages: a signal to the process we started would
    reach bubblewrap, not the kernel. The kernel's own stdout and stderr (not cell outputs,
    which travel as messages) go to `kernel_log`, capped by the sandbox's file-size limit.
    """

    def __init__(self, sandbox, runtime_dir, kernel_log, **kwargs):
        self.sandbox = sandbox
        self.kernel_log = kernel_log
        connection_file = os.path.join(runtime_dir, "kernel.json")
        super().__init__(transport="ipc", connection_file=connection_file, **kwargs)
        self._sandboxed_spec = KernelSpec(
            argv=KERNEL_ARGV,
            display_name="Python 3 (sandboxed)",
            language="python",
            interrupt_mode="message",
        )

    @property
    def kernel_spec(self):
        return self._sandboxed_spec

    def format_kernel_cmd(self, extra_arguments=None):
        return self.sandbox.command(super().format_kernel_cmd(extra_arguments))

    def write_connection_file(self, **kwargs):
        """The kernel runs as the slot's uid: it must be able to read its connection file."""
        super().write_connection_file(**kwargs)
        if self.sandbox.enabled:
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
