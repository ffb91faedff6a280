"""Helpers shared by the grading tests (fixtures are in conftest.py)."""

import os
from pathlib import Path

import pytest

from grading.cli import main
from grading.pipeline.sandbox import FIRST_UID, SandboxUnavailable, require_sandbox


def sandbox_problem():
    try:
        require_sandbox(2)
    except SandboxUnavailable as problem:
        return str(problem)
    return None


SANDBOX_PROBLEM = sandbox_problem()
needs_sandbox = pytest.mark.skipif(SANDBOX_PROBLEM is not None,
                                   reason=f"no sandbox: {SANDBOX_PROBLEM}")


def course_cli(course_root, *args):
    """Run `course --course ROOT ARGS...` in this process; return its exit status."""
    return main(["--course", str(course_root), *args])


def sandbox_processes():
    """Pids of processes running as any sandbox uid: there must be none after grading."""
    uids = {str(FIRST_UID + i) for i in range(os.cpu_count() or 1)}
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            uid_line = next(line for line in status.read_text().splitlines()
                            if line.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        if uid_line.split()[1] in uids:
            found.append(status.parent.name)
    return found
