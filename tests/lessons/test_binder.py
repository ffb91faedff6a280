"""Binder: repo2docker turns `binder/` into an image with CPU-only torch and the project.

Building the image needs Docker and the network; writing its Dockerfile needs
neither. `jupyter-repo2docker --no-build --debug` reads the repository as Binder
would and prints the Dockerfile it would build, which shows the Python version
and the steps taken from `binder/`. The files themselves are then checked
against `pyproject.toml`: postBuild installs the project with `--no-deps`, so
`binder/requirements.txt` must list every dependency, and take torch from the
CPU wheel index.
"""

import pathlib
import re
import subprocess
import sys
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
CPU_WHEELS = "https://download.pytorch.org/whl/cpu"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.fixture(scope="module")
def repo2docker(tmp_path_factory):
    """repo2docker's run on this repository: the Dockerfile (stdout) and its log (stderr).

    It runs in an empty folder, because repo2docker also reads a configuration file
    from where it runs.
    """
    repo2docker = pathlib.Path(sys.executable).parent / "jupyter-repo2docker"
    result = subprocess.run([str(repo2docker), "--no-build", "--debug", str(ROOT)],
                            cwd=tmp_path_factory.mktemp("repo2docker"), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, f"repo2docker refused the repository:\n{result.stderr}"
    return result


def requirement_lines():
    lines = (line.strip() for line in (BINDER / "requirements.txt").read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def test_repo2docker_installs_binder_requirements_then_runs_post_build(repo2docker):
    dockerfile = repo2docker.stdout
    install = dockerfile.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    post_build = dockerfile.index("RUN ./binder/postBuild")
    assert install < post_build, "postBuild must run after the requirements are installed"


def test_the_image_has_a_python_the_project_accepts(repo2docker):
    found = re.search(r"environment for python=(\d+\.\d+)", repo2docker.stderr)
    assert found, f"repo2docker's log names no Python version:\n{repo2docker.stderr}"
    python = found.group(1)
    needed = PROJECT["requires-python"]
    assert SpecifierSet(needed).contains(f"{python}.0"), \
        f"Binder's Python is {python}, the project needs {needed}: set it in binder/runtime.txt"


def test_torch_comes_from_the_cpu_wheel_index():
    lines = requirement_lines()
    assert f"--extra-index-url {CPU_WHEELS}" in lines or f"--index-url {CPU_WHEELS}" in lines, \
        f"binder/requirements.txt should name {CPU_WHEELS} (CUDA wheels are several GB)"
    assert any(Requirement(line).name == "torch" for line in lines if not line.startswith("-"))


def test_binder_requirements_match_the_project_dependencies():
    pinned = {(r.name.lower(), str(r.specifier)) for r in map(Requirement, [
        line for line in requirement_lines() if not line.startswith("-")])}
    needed = {(r.name.lower(), str(r.specifier)) for r in map(Requirement,
                                                               PROJECT["dependencies"])}
    assert needed <= pinned, \
        f"binder/requirements.txt lacks or pins differently: {sorted(needed - pinned)}"


def test_post_build_installs_the_project_without_touching_torch():
    script = (BINDER / "postBuild").read_text()
    syntax = subprocess.run(["bash", "-n", str(BINDER / "postBuild")], capture_output=True,
                            text=True)
    assert syntax.returncode == 0, syntax.stderr
    installs = [line.split() for line in script.splitlines()
                if line.strip().startswith("pip install")]
    assert installs, "binder/postBuild does not pip install the project"
    assert all("--no-deps" in words and words[-1] == "." for words in installs), \
        f"expected `pip install --no-deps -e .` (deps would fetch CUDA torch), got {installs}"
