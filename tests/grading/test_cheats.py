"""Cheats on IPython itself, graded together with honest students in a single run.

Each cheating student leaves the answers empty (or answers that score 0, for the cheats that
need a value to dress up) and adds a cell that hooks into how IPython runs later cells: the
test cells. Under a plain `run_cell` each of them scores marks; graded, each scores 0 and the
attempt is reported as tampering. The honest students, one of them plotting with
`%matplotlib inline` (which registers IPython hooks of its own), keep their marks and are
reported for nothing.
"""

import pytest
from grading_samples import ASSIGNMENT, SOLVED, make_submission, write_submission
from grading_testkit import course_cli, needs_sandbox

from grading.course import Course
from grading.pipeline.ledger import Ledger

pytestmark = [pytest.mark.slow, needs_sandbox]

# What the hooks below do to make an empty answer pass: bind the answers to stand-ins and
# make numpy's checks always agree. Or, for transformers, run `pass` instead of a test.
CHEAT = """\
import numpy, sys, ast
ip = get_ipython()
def is_test(text):
    return 'assert' in text or 'points' in text
def cheat(*args, **kwargs):
    ip.user_ns.update(normalize=lambda x: x, pairwise_distances=lambda a, b: a,
                      softmax=lambda z: z)
    numpy.allclose = numpy.isclose = lambda *a, **k: True
    numpy.shape = lambda a: (2, 1)
"""
# Answers that score 0 honestly (the "stubs" student): for the cheats on how a result shows.
STUBS = {"normalize": "def normalize(x):\n    return x",
         "pairwise_distances": "def pairwise_distances(a, b):\n    return a",
         "softmax": "def softmax(z):\n    return z"}
SILENCE = "ip._showtraceback = lambda *a, **k: None\n"
CLEAR_ERROR = "lambda result: setattr(result, 'error_in_exec', None)"

# student -> (answers, the cheat's cell, what the summary must name)
CHEATS = {
    "customexc": ({}, "ip.set_custom_exc((Exception,), lambda *a, **k: None)\n"
                      "ip.events.register('post_execute', lambda: setattr("
                      "ip.last_execution_result, 'error_in_exec', None))",
                  "get_ipython().CustomTB"),
    "postrun": ({}, SILENCE + f"ip.events.register('post_run_cell', {CLEAR_ERROR})",
                "get_ipython().events.callbacks['post_run_cell']"),
    "prerun": ({}, "ip.events.register('pre_run_cell', cheat)",
               "get_ipython().events.callbacks['pre_run_cell']"),
    "preexecute": ({}, "ip.events.register('pre_execute', cheat)",
                   "get_ipython().events.callbacks['pre_execute']"),
    "callbacks": ({}, SILENCE + "class Callbacks(dict):\n"
                                "    def __getitem__(self, event):\n"
                                f"        return [{CLEAR_ERROR}] if event == 'post_run_cell' "
                                "else dict.__getitem__(self, event)\n"
                                "ip.events.callbacks = Callbacks(ip.events.callbacks)",
                  "get_ipython().events.callbacks"),
    "cleanup": ({}, "ip.input_transformers_cleanup.append(\n"
                    "    lambda lines: ['pass\\n'] if is_test(''.join(lines)) else lines)",
                "get_ipython().input_transformer_manager.cleanup_transforms"),
    "post": ({}, "ip.input_transformers_post.append(\n"
                 "    lambda lines: ['pass\\n'] if is_test(''.join(lines)) else lines)",
             "get_ipython().input_transformers_post"),
    "manager": ({}, "m = ip.input_transformer_manager\noriginal = m.transform_cell\n"
                    "m.transform_cell = lambda c: 'pass\\n' if is_test(c) else original(c)",
                "get_ipython().input_transformer_manager.transform_cell"),
    "astnodes": ({}, "class Strip(ast.NodeTransformer):\n"
                     "    def visit_Module(self, node):\n"
                     "        if is_test(ast.unparse(node)):\n"
                     "            node.body = [ast.Pass()]\n"
                     "        return ast.fix_missing_locations(node)\n"
                     "ip.ast_transformers.append(Strip())",
                 "get_ipython().ast_transformers"),
    "transform": ({}, "original = ip.transform_cell\n"
                      "ip.transform_cell = lambda c: 'pass\\n' if is_test(c) else original(c)",
                  "get_ipython().transform_cell"),
    "runcell": ({}, "from IPython.core.interactiveshell import ExecutionResult\n"
                    "original = ip.run_cell\n"
                    "def run_cell(raw_cell, *args, **kwargs):\n"
                    "    if is_test(raw_cell):\n        return ExecutionResult(None)\n"
                    "    return original(raw_cell, *args, **kwargs)\n"
                    "ip.should_run_async = lambda *a, **k: False\nip.run_cell = run_cell",
                "get_ipython().run_cell"),
    "runasync": ({}, "from IPython.core.interactiveshell import ExecutionResult\n"
                     "original = ip.run_cell_async\n"
                     "async def run_cell_async(raw_cell, *args, **kwargs):\n"
                     "    if is_test(raw_cell):\n        return ExecutionResult(None)\n"
                     "    return await original(raw_cell, *args, **kwargs)\n"
                     "ip.run_cell_async = run_cell_async",
                 "get_ipython().run_cell_async"),
    "astrun": ({}, "original = ip.run_ast_nodes\n"
                   "async def run_ast_nodes(nodes, *args, **kwargs):\n"
                   "    if is_test(ast.unparse(ast.Module(nodes, []))):\n        return False\n"
                   "    return await original(nodes, *args, **kwargs)\n"
                   "ip.run_ast_nodes = run_ast_nodes",
               "get_ipython().run_ast_nodes"),
    "compiler": ({}, "original = ip.compile.ast_parse\n"
                     "ip.compile.ast_parse = lambda source, *a, **k: original(\n"
                     "    'pass' if is_test(source) else source, *a, **k)",
                 "get_ipython().compile.ast_parse"),
    "settrace": ({}, "sys.settrace(lambda frame, event, arg: cheat())", "sys.settrace"),
    "setprofile": ({}, "sys.setprofile(lambda frame, event, arg: cheat())", "sys.setprofile"),
    "thread": ({}, "import threading, time\ndef patch_forever():\n    while True:\n"
                   "        cheat()\n        time.sleep(0.001)\n"
                   "threading.Thread(target=patch_forever, daemon=True).start()",
               "numpy.allclose"),
    "alarm": ({}, "import signal\nsignal.signal(signal.SIGALRM, cheat)\n"
                  "signal.setitimer(signal.ITIMER_REAL, 0.005, 0.005)",
              "signal.signal(SIGALRM)"),
    "audit": ({}, "sys.addaudithook(lambda event, args: cheat() if event == 'exec' else None)",
              "sys.addaudithook (refused)"),
    "namespace": ({}, "class Fake:\n    def __getattr__(self, name):\n"
                      "        fakes = {'allclose': lambda *a, **k: True,\n"
                      "                 'isclose': lambda *a, **k: True,\n"
                      "                 'shape': lambda a: (2, 1)}\n"
                      "        return fakes.get(name) or getattr(numpy, name)\n"
                      "FAKES = {'np': Fake(), 'normalize': lambda x: x,\n"
                      "         'pairwise_distances': lambda a, b: a, 'softmax': lambda z: z}\n"
                      "class Namespace(dict):\n    def __getitem__(self, key):\n"
                      "        return FAKES[key] if key in FAKES else dict.__getitem__(self, key)\n"
                      "ip.user_ns = Namespace(ip.user_ns)",
                  "get_ipython()._user_ns"),
    "displayhook": (STUBS, "hook = ip.displayhook\noriginal = hook.write_format_data\n"
                           "hook.write_format_data = lambda data, md=None: original(\n"
                           "    {'text/plain': '3.0'}, md)",
                    "get_ipython().displayhook.write_format_data"),
    "printer": (STUBS, "ip.display_formatter.formatters['text/plain'].for_type(\n"
                       "    float, lambda value, printer, cycle: printer.text('3.0'))",
                "get_ipython().display_formatter.formatters['text/plain'].type_printers"),
    "formatter": (STUBS, "from IPython.core.formatters import DisplayFormatter\n"
                         "class Formatter(DisplayFormatter):\n"
                         "    def format(self, obj, include=None, exclude=None):\n"
                         "        return {'text/plain': '3.0'}, {}\n"
                         "ip.display_formatter = Formatter()",
                  "get_ipython().display_formatter"),
    # IPython puts sys.excepthook back after each cell: set it after that
    "excepthook": ({}, "ip.events.register('post_execute', lambda: setattr(\n"
                       "    sys, 'excepthook', lambda *a: cheat()))", "sys.excepthook"),
    "threadtrace": ({}, "import threading\nthreading.settrace(lambda *a: cheat())",
                    "threading.settrace"),
    "importer": ({}, "import builtins\noriginal = builtins.__import__\n"
                     "builtins.__import__ = lambda *a, **k: (cheat(), original(*a, **k))[1]",
                 "builtins.__import__"),
    "finder": ({}, "class Finder:\n    def find_spec(self, *args):\n        cheat()\n"
                   "sys.meta_path.insert(0, Finder())",
               "sys.meta_path"),
}
# student -> the cell that disables the guard itself: the notebook is stopped
DISABLERS = {
    "unguard": "for name in list(ip.kernel.shell_handlers):\n"
               "    if name.startswith('course_guard'):\n"
               "        del ip.kernel.shell_handlers[name]",
    # the answer is rewritten on its way out: "error" becomes "ok"
    "forgery": "session = ip.kernel.session\noriginal = session.serialize\n"
               "def serialize(msg, ident=None):\n"
               "    content = msg.get('content')\n"
               "    if isinstance(content, dict) and 'answer' in content:\n"
               "        forged = content['answer'].replace(\"'error'\", \"'ok'\")\n"
               "        msg['content'] = dict(content, answer=forged)\n"
               "    return original(msg, ident)\n"
               "session.serialize = serialize",
}
HONEST = {
    "alice": (SOLVED, "", 7.0),
    "stubs": (STUBS, "", 0.0),
    "plotter": (SOLVED, "%matplotlib inline\nimport matplotlib.pyplot as plt\n"
                        "plt.plot([1, 2], [3, 4])\nplt.show()\n"
                        "from __future__ import annotations", 7.0),
}


@pytest.fixture(scope="module")
def graded(generated_course, release_nb, tmp_path_factory):
    """Every cheat, and the honest students, collected and autograded once."""
    inbox = tmp_path_factory.mktemp("inbox")
    for student, (answers, cell, _) in CHEATS.items():
        write_submission(inbox, student, make_submission(release_nb, answers, [CHEAT, cell]))
    for student, cell in DISABLERS.items():
        write_submission(inbox, student, make_submission(release_nb, {}, [CHEAT, cell]))
    for student, (answers, cell, _) in HONEST.items():
        write_submission(inbox, student, make_submission(release_nb, answers, [cell]))
    assert course_cli(generated_course, "collect", ASSIGNMENT, str(inbox)) == 0
    assert course_cli(generated_course, "autograde", ASSIGNMENT, "--timeout", "10",
                      "--no-progress") == 1  # the disablers' notebooks failed
    return generated_course


def recorded(course, student):
    return Ledger(Course(course), ASSIGNMENT, student).recorded()


@pytest.mark.parametrize("student", HONEST)
def test_honest_students_keep_their_marks_and_are_not_reported(graded, student):
    result = recorded(graded, student)
    assert result["status"] == "graded" and result["score"] == HONEST[student][2]
    assert result["tampered"] == []


@pytest.mark.parametrize("student", CHEATS)
def test_cheat_scores_nothing_and_is_reported(graded, student):
    result = recorded(graded, student)
    assert result["status"] == "graded" and result["score"] == 0.0
    reported = CHEATS[student][2]
    first = f"{ASSIGNMENT}.ipynb cell 8 (test_normalize): replaced "
    assert any(line.startswith(first) and reported in line
               and line.endswith("; put back before this test cell")
               for line in result["tampered"]), result["tampered"]


@pytest.mark.parametrize("student", DISABLERS)
def test_removing_or_forging_the_guard_stops_the_notebook(graded, student):
    result = recorded(graded, student)
    assert result["status"] == "failed" and result["score"] == 0.0
    assert result["failures"] == [
        f"{ASSIGNMENT}.ipynb: the student's code disabled the grader's test guard during "
        "cell 8 (test_normalize); later cells were not run"]
    assert result["tampered"] == [f"{ASSIGNMENT}.ipynb cell 8 (test_normalize): removed or "
                                  "broke the grader's test guard"]
