"""Each lesson's first code cell installs minilib on Google Colab, and does nothing elsewhere.

The cell runs in a fresh Python process with an audit hook (PEP 578) that sees
every attempt to start a process and blocks it, so that no test ever runs pip.
Colab is recognised by its `google.colab` module; the Colab case puts an empty
module of that name in `sys.modules`, which is all the cell looks at.
"""

import json
import pathlib
import subprocess
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))

RUN_CELL = """
import json, sys, types

started = []


def block_new_processes(event, arguments):
    if event == "subprocess.Popen":
        started.append([str(part) for part in arguments[1]])
    if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"):
        raise PermissionError(f"the test blocks {event}")


if sys.argv[1] == "colab":
    sys.modules["google.colab"] = types.ModuleType("google.colab")
sys.addaudithook(block_new_processes)
namespace = {}
try:
    exec(sys.stdin.read(), namespace)
    outcome = "finished"
except PermissionError as error:
    outcome = str(error)
print(json.dumps({"started": started, "outcome": outcome, "repo_url": namespace.get("REPO_URL")}))
"""


def first_code_cell(path):
    notebook = nbformat.read(path, as_version=4)
    return next(cell.source for cell in notebook.cells if cell.cell_type == "code")


def run_cell(source, place):
    result = subprocess.run([sys.executable, "-c", RUN_CELL, place], input=source,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_the_install_cell_does_nothing_outside_colab(path):
    source = first_code_cell(path)
    assert "google.colab" in source, f"{path.name}: the first code cell is not the Colab cell"
    ran = run_cell(source, "jupyterlab")
    assert ran["started"] == [] and ran["outcome"] == "finished", \
        f"{path.name}'s Colab cell did something outside Colab: {ran}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_on_colab_the_install_cell_pip_installs_the_course_repository(path):
    ran = run_cell(first_code_cell(path), "colab")
    assert ran["repo_url"].startswith("https://github.com/"), ran
    assert ran["started"] == [[sys.executable, "-m", "pip", "install", "--quiet",
                               f"git+{ran['repo_url']}"]], ran
