"""Hostile submissions, graded together with an honest one in a single run.

Each test checks that the attack was contained and what was recorded for the student; every
run also checks that alice, graded alongside, keeps her full marks. The whole class is graded
twice, with the same expectations: by root (a uid per slot) and by an ordinary user with a
delegated cgroup (a user namespace per sandbox).
"""

import shutil
import socket

import nbformat
import pytest
from grading_samples import (
    ASSIGNMENT,
    NOTEBOOK,
    SOLVED,
    WRONG,
    make_submission,
    write_submission,
)
from grading_testkit import CGROUP_KIND, course_cli, needs_sandbox, sandbox_processes
from nbformat.v4 import new_output
from nbgrader.api import Gradebook
from ordinary_user import COURSE, OrdinaryUser

from grading.course import Course
from grading.pipeline.ledger import Ledger

# Cells that nbgrader puts back must get an id, or nbformat warns on the grader's stderr.
pytestmark = [pytest.mark.slow, needs_sandbox,
              pytest.mark.filterwarnings("error::nbformat.warnings.MissingIDFieldWarning")]

CELL_TIMEOUT = "3"
SANDBOX_MEMORY = "1024"  # MiB, for all processes of a sandbox together


def hostile_class(course, port):
    """student -> (answers, cells the student added, locked cells edited)."""
    alice_nb = course / "submitted" / "alice" / ASSIGNMENT / NOTEBOOK
    secrets = [str(alice_nb), str(course / "source" / ASSIGNMENT / NOTEBOOK),
               str(course / "gradebook.db"), "/etc/shadow"]
    wrong_normalize = {**SOLVED, "normalize": "def normalize(x):\n    return x"}
    return {
        "alice": (SOLVED, [], {}),
        "loop": (SOLVED, ["while True:\n    pass"], {}),
        "stubborn": (SOLVED, ["import time\nwhile True:\n    try:\n        time.sleep(0.1)\n"
                              "    except KeyboardInterrupt:\n        pass"], {}),
        "forkbomb": (SOLVED, ["import os, time\nchildren = 0\ntry:\n    while True:\n"
                              "        if os.fork() == 0:\n            time.sleep(600)\n"
                              "            os._exit(0)\n        children += 1\n"
                              "except OSError as e:\n"
                              "    print('refused after', children, type(e).__name__)"], {}),
        "membomb": (SOLVED, ["blob = bytearray(16 * 1024 ** 3)",
                             "big = np.ones((60000, 60000))"], {}),
        # each child stays under the per-process limit; together they exceed the sandbox's
        "forkmem": (SOLVED, ["import os, time\nchildren = []\nfor _ in range(5):\n"
                             "    pid = os.fork()\n    if pid == 0:\n"
                             "        blob = b'x' * (400 * 2 ** 20)\n        time.sleep(1)\n"
                             "        os._exit(0)\n    children.append(pid)\n"
                             "for pid in children:\n    os.waitpid(pid, 0)"], {}),
        # 20 MB of output, ten times the limit; bounded, because an endless flood can fill
        # the kernel's own output buffer faster than a loaded machine drains it (then the
        # sandbox's memory limit stops the kernel, which is also safe, but not this test)
        "flood": (SOLVED, ["for _ in range(4000):\n    print('spam ' * 1000)"], {}),
        "diskfill": (SOLVED, ["with open('fill.bin', 'wb') as f:\n    for _ in range(4096):\n"
                              "        f.write(b'x' * 2 ** 20)"], {}),
        "network": (SOLVED, ["import socket\n"
                             f"for address in [('127.0.0.1', {port}), ('1.1.1.1', 80)]:\n"
                             "    try:\n        socket.create_connection(address, 2).close()\n"
                             "        print('CONNECTED', address)\n    except OSError as e:\n"
                             "        print('blocked', address, type(e).__name__)"], {}),
        "snoop": (SOLVED, [f"for path in {secrets!r}:\n    try:\n        open(path).read()\n"
                           "        print('READ', path)\n    except OSError as e:\n"
                           "        print('denied', type(e).__name__)"], {}),
        "sysexit": (SOLVED, ["import sys\nsys.exit(3)"], {}),
        "osexit": (SOLVED, ["import os\nos._exit(0)"], {}),
        "tamper": (wrong_normalize, [], {"test_normalize": "assert True"}),
        "forger": ({}, ["ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\n"
                        "ip._showtraceback = lambda *a, **k: None"], {}),
        "parentkill": (SOLVED, ["import os\nos.kill(os.getppid(), 9)"], {}),
        "groupkill": (SOLVED, ["import os, signal\nos.killpg(0, signal.SIGKILL)"], {}),
        "killall": (SOLVED, ["import os\nfor pid in [int(p) for p in os.listdir('/proc') "
                             "if p.isdigit()]:\n    if pid != os.getpid():\n        try:\n"
                             "            os.kill(pid, 9)\n        except OSError:\n"
                             "            pass"], {}),
        "patcher": (WRONG, ["np.allclose = lambda *a, **k: True\n"
                            "np.isclose = lambda *a, **k: True\n"
                            "np.shape = lambda a: (2, 1)"], {}),
        "fakenumpy": (WRONG, ["import sys\nclass Anything:\n"
                              "    def __getattr__(self, name):\n"
                              "        return lambda *a, **k: True\n"
                              "np = sys.modules['numpy'] = Anything()"], {}),
        "unguard": (SOLVED, ["handlers = get_ipython().kernel.shell_handlers\n"
                             "for name in list(handlers):\n"
                             "    if name.startswith('course_guard'):\n"
                             "        del handlers[name]"], {}),
        "metapoints": (SOLVED, [], {}),
        "metarename": (SOLVED, [], {}),
        "metalock": (SOLVED, [], {}),
        "metagrade": (SOLVED, [], {}),
    }


def nbgrader_meta(nb, grade_id):
    return next(c.metadata.nbgrader for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


# student -> how the cell metadata of their notebook is forged
FORGED_METADATA = {
    "metapoints": lambda nb: nbgrader_meta(nb, "test_normalize").update(points=100),
    # a renamed test cell: its points would no longer be in the gradebook
    "metarename": lambda nb: nbgrader_meta(nb, "test_normalize").update(grade_id="my_test"),
    # a solution cell claiming to be locked, so that its answer would be "restored"
    "metalock": lambda nb: nbgrader_meta(nb, "normalize").update(locked=True),
    # a solution cell claiming to be a test worth 100 points
    "metagrade": lambda nb: nbgrader_meta(nb, "normalize").update(grade=True, points=100),
}


def forge_outputs(nb):
    """Fake passing outputs on every test cell, and full partial credit on Q2."""
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.execution_count = 9
            cell.outputs = [new_output("execute_result", {"text/plain": "3.0"}, execution_count=9)]


@pytest.fixture(scope="module")
def listener():
    """A TCP server on the host's loopback that no sandbox must reach."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture(scope="module", params=["root", "ordinary user"])
def grader(request):
    """Who grades: None for root (this process), or an OrdinaryUser with a delegated cgroup."""
    if request.param == "root":
        yield None
        return
    with OrdinaryUser(delegated_cgroup=True) as user:
        yield user


@pytest.fixture
def leftover_processes(grader):
    """A function listing the processes that grading left behind (there must be none)."""
    return grader.processes if grader else sandbox_processes


@pytest.fixture(scope="module")
def graded(grader, generated_course, release_nb, listener, tmp_path_factory):
    """All hostile submissions (and unreadable ones, and one without a notebook) collected and
    autograded once, by `grader`."""
    inbox = tmp_path_factory.mktemp("inbox")
    port = listener.getsockname()[1]
    course = generated_course if grader is None else grader.folder("course")
    for student, (answers, added, edits) in hostile_class(course, port).items():
        nb = make_submission(release_nb, answers, added, edits)
        if student == "forger":
            forge_outputs(nb)
        FORGED_METADATA.get(student, lambda nb: None)(nb)
        write_submission(inbox, student, nb)
    solved = nbformat.writes(make_submission(release_nb, SOLVED))
    write_submission(inbox, "nbformat3", nbformat.writes(nbformat.reads(solved, 4), version=3))
    write_submission(inbox, "nbformat5", solved.replace('"nbformat": 4,', '"nbformat": 5,'))
    write_submission(inbox, "renamed", solved, notebook="PS0_numpy (1).ipynb")
    write_submission(inbox, "othername", solved, notebook="homework.ipynb")
    write_submission(inbox, "badjson", '{"cells": [ not json')
    write_submission(inbox, "empty", "")
    (write_submission(inbox, "missing", None) / "notes.txt").write_text("forgot it")
    assert course_cli(generated_course, "collect", ASSIGNMENT, str(inbox)) == 0
    options = ["autograde", ASSIGNMENT, "--timeout", CELL_TIMEOUT, "--notebook-timeout", "60",
               "--sandbox-memory", SANDBOX_MEMORY, "--no-progress"]
    if grader is None:
        assert course_cli(course, *options) == 1  # failures, as under nbgrader autograde
        return course
    shutil.copytree(generated_course, course, dirs_exist_ok=True)
    grader.give(course)
    done = grader.run([COURSE, "--course", str(course), *options], capture_output=True,
                      text=True)
    assert done.returncode == 1, done.stderr
    assert "a user namespace of its own per submission" in done.stdout
    assert f"MiB of memory, 64 processes ({CGROUP_KIND} delegated to you)" in done.stdout
    return course


def recorded(course, student):
    return Ledger(Course(course), ASSIGNMENT, student).recorded()


def autograded(course, student):
    return nbformat.read(course / "autograded" / student / ASSIGNMENT / NOTEBOOK, as_version=4)


def outputs_text(nb):
    return "".join(str(o.get("text", "")) + str(o.get("evalue", ""))
                   for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def gradebook_score(course, student):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return gb.find_submission(ASSIGNMENT, student).score


def test_honest_student_graded_alongside_keeps_full_marks(graded):
    assert recorded(graded, "alice")["status"] == "graded"
    assert gradebook_score(graded, "alice") == 7.0


def test_infinite_loop_is_interrupted_and_later_cells_still_run(graded):
    result = recorded(graded, "loop")
    assert result["status"] == "graded" and result["score"] == 7.0
    assert any("timed out after 3 s and was interrupted" in n for n in result["notes"])


def test_loop_ignoring_interrupts_stops_the_kernel_and_scores_the_rest_zero(graded):
    result = recorded(graded, "stubborn")
    assert result["status"] == "failed" and result["score"] == 0.0
    assert "ignored an interrupt" in result["failures"][0]
    assert "cell 4" in result["failures"][0]  # the student's added cell, after setup


def test_fork_bomb_hits_the_process_limit_and_leaves_no_process(graded, leftover_processes):
    result = recorded(graded, "forkbomb")
    assert result["status"] == "graded" and result["score"] == 7.0
    text = outputs_text(autograded(graded, "forkbomb"))
    assert "refused after" in text
    children = int(text.split("refused after")[1].split()[0])
    assert children < 64
    assert not leftover_processes()


def test_memory_bomb_gets_memory_error_not_the_machine(graded):
    result = recorded(graded, "membomb")
    assert result["status"] == "graded" and result["score"] == 7.0
    memory_notes = [n for n in result["notes"] if "ran out of memory" in n]
    assert len(memory_notes) == 2


def test_children_exceeding_the_sandbox_memory_together_are_a_memory_failure(
        graded, leftover_processes):
    result = recorded(graded, "forkmem")
    assert result["status"] == "failed" and result["score"] == 0.0
    assert result["failures"] == [
        f"{ASSIGNMENT}.ipynb: the sandbox ran out of memory ({SANDBOX_MEMORY} MiB for all its "
        "processes together; the out-of-memory killer stopped one) during cell 4; later cells "
        "were not run"
    ]
    assert gradebook_score(graded, "forkmem") == 0.0
    assert not leftover_processes()


def test_output_flood_is_truncated(graded):
    result = recorded(graded, "flood")
    assert result["status"] == "graded" and result["score"] == 7.0
    assert any("output truncated" in n for n in result["notes"])
    path = graded / "autograded" / "flood" / ASSIGNMENT / NOTEBOOK
    assert path.stat().st_size < 3 * 1024 * 1024


def test_disk_fill_stops_at_the_file_size_limit(graded):
    assert recorded(graded, "diskfill")["score"] == 7.0
    assert "File too large" in outputs_text(autograded(graded, "diskfill"))


def test_no_network_from_the_sandbox(graded, listener):
    assert recorded(graded, "network")["score"] == 7.0
    text = outputs_text(autograded(graded, "network"))
    assert "CONNECTED" not in text and text.count("blocked") == 2
    with pytest.raises(BlockingIOError):
        listener.accept()


def test_other_submissions_source_and_gradebook_are_invisible(graded):
    assert recorded(graded, "snoop")["score"] == 7.0
    text = outputs_text(autograded(graded, "snoop"))
    assert "READ" not in text
    assert text.count("denied") == 4


def test_sys_exit_is_an_ordinary_error(graded):
    result = recorded(graded, "sysexit")
    assert result["status"] == "graded" and result["score"] == 7.0


def test_os_exit_kills_only_its_own_kernel(graded):
    result = recorded(graded, "osexit")
    assert result["status"] == "failed" and result["score"] == 0.0
    assert "ended the kernel (exit status 0" in result["failures"][0]
    assert gradebook_score(graded, "osexit") == 0.0


def test_edited_test_cell_is_restored_and_reported(graded, capsys):
    result = recorded(graded, "tamper")
    assert result["score"] == 5.0  # wrong normalize fails the restored test
    assert result["tampered"] == [
        f"{ASSIGNMENT}.ipynb cell 6 (test_normalize): edited; restored before grading"
    ]
    notes = autograded(graded, "tamper").cells[0]
    assert "test_normalize" in notes.source and "grader-notes" in notes.metadata.tags
    course_cli(graded, "status", ASSIGNMENT)
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("tamper "))
    assert row.split()[:4] == ["tamper", "graded", "5/7", "yes"]


def test_forged_outputs_and_silenced_tracebacks_score_nothing(graded):
    result = recorded(graded, "forger")
    assert result["score"] == 0.0
    assert f"{ASSIGNMENT}.ipynb cell 7 (test_normalize): replaced " \
        "get_ipython()._showtraceback, get_ipython().showtraceback; put back before this " \
        "test cell" in result["tampered"]
    assert gradebook_score(graded, "forger") == 0.0


def test_patched_numpy_is_put_back_before_each_test_and_reported(graded):
    result = recorded(graded, "patcher")
    assert result["score"] == 2.0  # what the same wrong answers score honestly (dave)
    assert f"{ASSIGNMENT}.ipynb cell 7 (test_normalize): replaced numpy.allclose, " \
        "numpy.isclose, numpy.shape; put back before this test cell" in result["tampered"]


def test_fake_numpy_module_and_rebound_name_are_put_back(graded):
    result = recorded(graded, "fakenumpy")
    assert result["score"] == 2.0
    assert result["tampered"][0].startswith(
        f"{ASSIGNMENT}.ipynb cell 7 (test_normalize): replaced sys.modules['numpy']")
    assert f"{ASSIGNMENT}.ipynb cell 7 (test_normalize): the name(s) np no longer meant what " \
        "the assignment imports; set back for this test cell" in result["notes"]


def test_removing_the_test_guard_stops_the_notebook(graded):
    result = recorded(graded, "unguard")
    assert result["status"] == "failed" and result["score"] == 0.0
    assert result["failures"] == [
        f"{ASSIGNMENT}.ipynb: the student's code disabled the grader's test guard during "
        "cell 7 (test_normalize); later cells were not run"]
    assert f"{ASSIGNMENT}.ipynb cell 7 (test_normalize): removed or broke the grader's " \
        "test guard" in result["tampered"]


@pytest.mark.parametrize("student, reason", [
    ("badjson", "is not valid JSON (line 1, column 13): damaged, or not a notebook"),
    ("empty", "is an empty file"),
    ("othername", "is missing; submitted: 'homework.ipynb'"),
    ("nbformat5", "says it is nbformat 5, a version that Jupyter does not have (expected 4, "
                  "or an older one, which is converted): edited by hand?"),
])
def test_unreadable_notebook_fails_with_a_reason_and_zero(graded, student, reason):
    result = recorded(graded, student)
    assert result["status"] == "failed" and result["score"] == 0.0
    assert result["failures"] == [f"{ASSIGNMENT}.ipynb {reason}"]
    assert gradebook_score(graded, student) == 0.0


def test_a_submission_without_a_notebook_is_skipped(graded, capsys):
    assert recorded(graded, "missing") is None
    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}") as gb:
        assert "missing" not in {s.student.id for s in gb.find_assignment(ASSIGNMENT).submissions}
    course_cli(graded, "status", ASSIGNMENT)
    row = next(line for line in capsys.readouterr().out.splitlines()
               if line.startswith("missing "))
    assert row.split()[1] == "skipped" and row.endswith(
        f"no notebook in submitted/missing/{ASSIGNMENT}: nothing recorded")


@pytest.mark.parametrize("student", ["parentkill", "killall"])
def test_killing_the_grader_is_not_allowed(graded, student, leftover_processes):
    result = recorded(graded, student)
    assert result["status"] == "graded" and result["score"] == 7.0
    assert not leftover_processes()


def test_killing_its_process_group_kills_only_its_own_sandbox(graded, leftover_processes):
    result = recorded(graded, "groupkill")
    assert result["status"] == "failed" and result["score"] == 0.0
    assert result["failures"] == [
        f"{ASSIGNMENT}.ipynb: the kernel died during cell 4: killed by SIGKILL, not for memory: "
        "most likely by the student's own code; later cells were not run"]
    assert gradebook_score(graded, "groupkill") == 0.0
    assert not leftover_processes()


def test_a_notebook_renamed_by_the_browser_is_graded_with_a_note(graded):
    result = recorded(graded, "renamed")
    assert result["status"] == "graded" and result["score"] == 7.0
    assert result["notes"] == [f"{ASSIGNMENT}.ipynb file: graded 'PS0_numpy (1).ipynb' as "
                               f"{ASSIGNMENT}.ipynb (the file had been renamed)"]
    assert (graded / "autograded" / "renamed" / ASSIGNMENT / NOTEBOOK).is_file()


def test_older_nbformat_is_converted_and_graded(graded):
    result = recorded(graded, "nbformat3")
    assert result["status"] == "graded" and result["score"] == 7.0
    assert gradebook_score(graded, "nbformat3") == 7.0


def test_forged_points_are_restored_and_reported(graded):
    result = recorded(graded, "metapoints")
    assert result["status"] == "graded" and result["score"] == 7.0
    assert result["tampered"] == [
        f"{ASSIGNMENT}.ipynb cell 6 (test_normalize): points changed; restored before grading"
    ]


def test_solution_cell_marked_locked_keeps_its_answer(graded):
    result = recorded(graded, "metalock")
    assert result["status"] == "graded" and result["score"] == 7.0


def test_renamed_test_cell_is_put_back_and_reported(graded):
    result = recorded(graded, "metarename")
    assert result["status"] == "graded" and result["score"] == 7.0
    assert result["tampered"] == [
        f"{ASSIGNMENT}.ipynb cell test_normalize: deleted; put back before grading",
        f"{ASSIGNMENT}.ipynb cell 6: claimed to be cell 'my_test', which the assignment does "
        "not have; graded as an ordinary cell",
    ]


def test_answer_cell_claiming_to_be_a_test_is_restored_and_reported(graded):
    result = recorded(graded, "metagrade")
    assert result["status"] == "graded" and result["score"] == 7.0
    assert result["tampered"] == [
        f"{ASSIGNMENT}.ipynb cell 5 (normalize): claimed to be a graded answer cell, but is an "
        "answer cell; restored before grading"
    ]
    assert gradebook_score(graded, "metagrade") == 7.0
