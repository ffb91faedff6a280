"""Helpers shared by the grading tests (fixtures are in conftest.py)."""

import os

import pytest

from grading.cli import main
from grading.pipeline.cgroup import unified
from grading.pipeline.sandbox import (
    FIRST_UID,
    SandboxUnavailable,
    processes_of,
    require_sandbox,
)


def sandbox_problem():
    try:
        require_sandbox(2)
    except SandboxUnavailable as problem:
        return str(problem)
    return None


SANDBOX_PROBLEM = sandbox_problem()
needs_sandbox = pytest.mark.skipif(SANDBOX_PROBLEM is not None,
                                   reason=f"no sandbox: {SANDBOX_PROBLEM}")


# How the run's summary names this machine's cgroups ("cgroup" is v1).
CGROUP_KIND = "cgroup v2" if unified() else "cgroup"


def course_cli(course_root, *args):
    """Run `course --course ROOT ARGS...` in this process; return its exit status."""
    return main(["--course", str(course_root), *args])


def sandbox_processes():
    """Pids of processes running as any sandbox uid: there must be none after grading."""
    return [pid for index in range(os.cpu_count() or 1) for pid in processes_of(FIRST_UID + index)]
