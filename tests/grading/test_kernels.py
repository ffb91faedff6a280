"""Each notebook runs in its own kernel, as nbgrader runs it, inside the sandbox.

The kernelspecs live in a temporary JUPYTER_PATH, as an instructor's would: "python3-course", a
Python kernel started by a script in its kernelspec's folder (which the sandbox must show),
with an `env` of its own; and "bash", bash_kernel's. One assignment has a notebook in each; a
class of two grades it in one run. The Python kernel keeps the test guard (tampering reported);
the bash notebook gets its parameters in bash, and the run's summary says its tests run
without the guard. Kernels that cannot grade are refused before any submission is graded.
"""

import contextlib
import io
import json
import sys

import nbformat
import pytest
from assignment_builder import PYTHON, answered, new_test_course, source_cell, write_assignment
from grading_samples import read_release, write_submission
from grading_testkit import course_cli, needs_sandbox

from grading.course import Course
from grading.pipeline.ledger import Ledger

pytestmark = [pytest.mark.slow, needs_sandbox]

START_SCRIPT = """\
import os
os.environ["STARTED_FROM"] = os.path.dirname(os.path.abspath(__file__))
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""
KERNELSPECS = {
    "python3-course": {
        "argv": [sys.executable, "{resource_dir}/start_kernel.py", "-f", "{connection_file}"],
        "display_name": "Python 3 (course)", "language": "python",
        "env": {"COURSE_KERNEL": "python3-course", "KERNEL_HOME": "${HOME}"},
    },
    "bash": {
        "argv": [sys.executable, "-m", "bash_kernel", "-f", "{connection_file}"],
        "display_name": "Bash", "language": "bash", "env": {"PS1": "$"},
    },
    "cobol": {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "COBOL", "language": "cobol",
    },
    "nopath": {
        "argv": ["no-such-kernel-program", "-f", "{connection_file}"],
        "display_name": "Nowhere", "language": "python",
    },
}
IN_PYTHON = [
    source_cell("locked", "setup", "import os"),
    source_cell("answer", "twice",
                "def twice(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
    source_cell("test", "test_kernel",
                "assert os.environ['COURSE_KERNEL'] == 'python3-course'\n"
                "assert os.environ['STARTED_FROM'].endswith('python3-course')\n"
                "assert os.environ['KERNEL_HOME'] == '/home/student'\n"
                "assert os.environ['NBGRADER_EXECUTION'] == 'autograde'", points=1),
    source_cell("test", "test_twice", "assert abs(twice(-2)) == 4", points=1),
]
IN_BASH = [
    source_cell("locked", "parameters", "seed=0", tags=["parameters"]),
    source_cell("answer", "add",
                "add() {\n### BEGIN SOLUTION\n  echo $(( $1 + $2 ))\n### END SOLUTION\n}"),
    source_cell("test", "test_add", '[ "$(add 2 3)" = "5" ]', points=1),
    source_cell("test", "test_seed", '[ "$seed" = "7" ]', points=1),
    source_cell("test", "test_environment", '[ "$NBGRADER_EXECUTION" = "autograde" ]', points=1),
]
ANSWERS = {
    "alice": {"in_python": {"twice": "def twice(x):\n    return 2 * x"},
              "in_bash": {"add": "add() {\n  echo $(( $1 + $2 ))\n}"}},
    "mallory": {"in_python": {"twice": "import builtins\nbuiltins.abs = lambda x: 0\n"
                              "def twice(x):\n    return 2 * x"},
                "in_bash": {}},
}
POINTS = {
    "alice": {"in_python": {"test_kernel": 1, "test_twice": 1},
              "in_bash": {"test_add": 1, "test_seed": 1, "test_environment": 1}},
    "mallory": {"in_python": {"test_kernel": 1, "test_twice": 1},
                "in_bash": {"test_add": 0, "test_seed": 1, "test_environment": 1}},
}
REFUSED_SOURCE = [
    source_cell("locked", "parameters", "seed = 0", tags=["parameters"]),
    source_cell("test", "test_true", "assert True", points=1),
]


def install_kernelspecs(data_dir, outside_program):
    """kernels/<name>/kernel.json under `data_dir`, plus one whose program is `outside_program`
    (a folder the sandbox does not show)."""
    specs = {**KERNELSPECS, "outside": {"argv": [str(outside_program), "-f", "{connection_file}"],
                                        "display_name": "Outside", "language": "python"}}
    for name, spec in specs.items():
        folder = data_dir / "kernels" / name
        folder.mkdir(parents=True)
        (folder / "kernel.json").write_text(json.dumps(spec))
    (data_dir / "kernels" / "python3-course" / "start_kernel.py").write_text(START_SCRIPT)
    outside_program.write_text('#!/bin/sh\nexec python3 -m ipykernel_launcher "$@"\n')
    outside_program.chmod(0o755)
    for path in [data_dir, *data_dir.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)


def autograde(root, *args):
    """`course autograde ...`: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = course_cli(root, "autograde", *args, "--no-progress")
    return status, out.getvalue(), err.getvalue()


def set_kernelspec(root, assignment, name):
    """What `course generate` would have recorded for a source notebook in kernel `name`."""
    with Course(root).gradebook() as gb:
        spec = {"name": name, "display_name": name, "language": "python"}
        gb.find_notebook(assignment, assignment).kernelspec = json.dumps(spec)
        gb.db.commit()


def untracked(path):
    """The source's `parameters` cell made an ordinary cell, unknown to nbgrader."""
    nb = nbformat.read(path, as_version=4)
    del nb.cells[0].metadata["nbgrader"]
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """pk_kernels graded for the class (`-p seed=7`), and pk_refused's autograde tried with
    each kernel that cannot grade it, then with an untracked `parameters` cell. Returns (root,
    pk_kernels's run, refusals by kernel)."""
    tmp = tmp_path_factory.mktemp("kernels")
    (tmp / "opt").mkdir()
    install_kernelspecs(tmp / "jupyter", tmp / "opt" / "outside-kernel")
    root = new_test_course(tmp / "course")
    course_kernel = {"name": "python3-course", "display_name": "Python 3 (course)",
                     "language": "python"}
    bash_kernel = {"name": "bash", "display_name": "Bash", "language": "bash"}
    write_assignment(root, "pk_kernels", {"in_python": (course_kernel, IN_PYTHON),
                                          "in_bash": (bash_kernel, IN_BASH)})
    write_assignment(root, "pk_refused", {"pk_refused": (PYTHON, REFUSED_SOURCE)})
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_PATH", str(tmp / "jupyter"))
        for assignment in ("pk_kernels", "pk_refused"):
            assert course_cli(root, "generate", assignment) == 0
        for student, answers in ANSWERS.items():
            for notebook, notebook_answers in answers.items():
                release = nbformat.read(root / "release" / "pk_kernels" / f"{notebook}.ipynb",
                                        as_version=4)
                write_submission(tmp / "inbox", student, answered(release, notebook_answers),
                                 f"{notebook}.ipynb")
        write_submission(tmp / "refused", "alice", read_release(root, "pk_refused"),
                         "pk_refused.ipynb")
        assert course_cli(root, "collect", "pk_kernels", str(tmp / "inbox")) == 0
        assert course_cli(root, "collect", "pk_refused", str(tmp / "refused")) == 0
        graded = autograde(root, "pk_kernels", "-p", "seed=7")
        refusals = {}
        for kernel in ("no-such-kernel", "nopath", "outside", "cobol"):
            set_kernelspec(root, "pk_refused", kernel)
            refusals[kernel] = autograde(root, "pk_refused")
        set_kernelspec(root, "pk_refused", "python3")
        untracked(root / "source" / "pk_refused" / "pk_refused.ipynb")
        refusals["untracked parameters"] = autograde(root, "pk_refused")
    return root, graded, refusals


def test_each_notebook_scores_in_its_own_kernel(course):
    root, (status, _, _), _ = course
    assert status == 0
    with Course(root).gradebook() as gb:
        for student, notebooks in POINTS.items():
            for notebook, points in notebooks.items():
                got = {test: gb.find_grade(test, notebook, "pk_kernels", student).auto_score
                       for test in points}
                assert got == points, (student, notebook)


def test_a_python_kernel_of_another_name_keeps_the_test_guard(course):
    root = course[0]
    tampered = Ledger(Course(root), "pk_kernels", "mallory").recorded()["tampered"]
    assert tampered == ["in_python.ipynb cell 3 (test_kernel): replaced builtins.abs; put back "
                        "before this test cell"]
    assert Ledger(Course(root), "pk_kernels", "alice").recorded()["tampered"] == []


def test_summary_says_which_notebook_runs_without_the_guard(course):
    _, (_, out, _), _ = course
    assert ("in_bash.ipynb runs in kernel 'bash' (bash): its test cells run without the test "
            "guard, which only Python kernels have") in out
    assert "in_python.ipynb runs in kernel" not in out


def test_bash_notebook_keeps_its_own_cells(course):
    root = course[0]
    release = nbformat.read(root / "release" / "pk_kernels" / "in_bash.ipynb", as_version=4)
    nb = nbformat.read(root / "autograded" / "alice" / "pk_kernels" / "in_bash.ipynb", 4)
    assert [cell.id for cell in nb.cells] == [cell.id for cell in release.cells]
    assert nb.metadata.papermill.parameters == {"seed": 7}


@pytest.mark.parametrize("kernel, reason", [
    ("no-such-kernel", "which is not installed here"),
    ("nopath", "whose program ['no-such-kernel-program'] is not on the sandbox's PATH"),
    ("outside", "outside-kernel is outside the sandbox"),
    ("cobol", "whose language, cobol, is one papermill cannot write parameters in"),
])
def test_a_kernel_that_cannot_grade_is_refused_before_any_submission(course, kernel, reason):
    root, _, refusals = course
    status, out, err = refusals[kernel]
    assert status == 2 and out == ""
    assert err.startswith(f"course: pk_refused.ipynb of pk_refused runs in kernel '{kernel}'")
    assert reason in err and err.endswith(": refusing to grade it\n") and err.count("\n") == 1
    assert not (root / "autograded" / "alice" / "pk_refused").exists()


def test_a_parameters_cell_nbgrader_does_not_track_is_refused(course):
    root, _, refusals = course
    status, _, err = refusals["untracked parameters"]
    assert status == 2
    assert err == ("course: pk_refused.ipynb of pk_refused: its `parameters` cell must be an "
                   "nbgrader cell (read-only), or submissions could not be matched to it: "
                   "refusing to grade it\n")
    assert not (root / "autograded" / "alice" / "pk_refused").exists()


def test_a_kernel_asked_to_end_has_time_for_the_sandbox_to_copy_its_files_out(tmp_path):
    """jupyter_client sends SIGTERM after half of shutdown_wait_time (2.5 s by default),
    which could cut short the copy of the files a notebook wrote, after its kernel ended."""
    from types import SimpleNamespace

    from grading.pipeline.kernel import SandboxedKernelManager, find_kernel

    sandbox = SimpleNamespace(environment=dict)  # only its environment is read here
    with open(tmp_path / "kernel.log", "ab") as log:
        km = SandboxedKernelManager(sandbox, str(tmp_path), log, find_kernel("python3"))
    assert km.shutdown_wait_time >= 20
