"""The test guard in a real IPython kernel: what student code replaces is put back and reported,
and the test runs as the instructor wrote it, whatever hooks the student installed."""

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel
from nbformat.v4 import new_code_cell, new_notebook

from grading.pipeline import guard

IMPORTS = {"np": ["numpy", None], "keras": ["minilib", None], "torch": ["torch", None]}


def test_instructor_imports_maps_each_bound_name_to_its_module():
    nb = new_notebook(cells=[
        new_code_cell("import numpy as np\nimport os.path\nfrom minilib import layers, ops as o"),
        new_code_cell("%matplotlib inline\nimport matplotlib"),  # magics: skipped whole
        new_code_cell("def f():\n    from numpy.testing import assert_allclose\n"
                      "from . import local\nfrom math import *"),
        nbformat.v4.new_markdown_cell("import pandas"),
    ])
    assert guard.instructor_imports(nb) == {
        "np": ["numpy", None], "os": ["os", None], "layers": ["minilib", "layers"],
        "o": ["minilib", "ops"], "assert_allclose": ["numpy.testing", "assert_allclose"],
    }


class Kernel:
    """A plain (unsandboxed) kernel with the guard installed, as the grader sets it up."""

    def __init__(self, imports=IMPORTS, setup=""):
        self.manager, self.client = start_new_kernel(kernel_name="python3")
        if setup:  # the instructor's own setup, before the guard (`%matplotlib inline`)
            assert self.run(setup)["status"] == "ok"
        self.guard = guard.Guard(imports)
        assert self.run(self.guard.setup_code())["status"] == "ok"
        assert self.ask(self.guard.baseline_request()) == {"kind": "baseline"}

    def reply_to(self, request_id):
        while True:
            reply = self.client.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == request_id:
                return reply

    def run(self, code, **expressions):
        """Run `code` as a student's cell (through IPython's run_cell)."""
        return self.reply_to(self.client.execute(code, user_expressions=expressions))["content"]

    def ask(self, request):
        """Send the guard `request`; its checked answer, or None."""
        message = self.client.session.msg(self.guard.message_type, request)
        self.client.shell_channel.send(message)
        reply = self.reply_to(message["header"]["msg_id"])
        return self.guard.read_answer(request, reply["content"])

    def test(self, code):
        """Run `code` as a test cell, through the guard: its answer."""
        return self.ask(self.guard.test_request(code, 10_000))

    def check(self):
        """What the guard puts back before a test cell: (replaced, rebound names)."""
        answer = self.test("")
        return answer["changed"], answer["rebound"]

    def value(self, expression):
        return self.test(expression)["result"]

    def stop(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel():
    kernel = Kernel()
    yield kernel
    kernel.stop()


def test_honest_code_changes_nothing_the_guard_watches(kernel):
    assert kernel.run("import numpy as np\nimport minilib as keras\n"
                      "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
                      "model.compile('adam', 'mse')\n"
                      "model.fit(np.ones((8, 3)), np.ones((8, 2)), epochs=1, verbose=0)\n"
                      "class Twice(keras.layers.Layer):\n"
                      "    def call(self, x):\n        return 2 * x\n"
                      "Twice()(np.ones((1, 2)))")["status"] == "ok"
    assert kernel.check() == ([], [])


@pytest.mark.parametrize("patch, reported, restored, expected", [
    ("np.allclose = lambda *a, **k: True", "numpy.allclose", "np.allclose(0, 1)", "False"),
    ("import builtins\nbuiltins.abs = lambda x: 0", "builtins.abs", "abs(-2)", "2"),
    ("import sys\nsys.modules['numpy'] = None", "sys.modules['numpy']",
     "__import__('numpy').__name__", "'numpy'"),
    ("import torch\ntorch.Tensor.__eq__ = lambda self, other: True", "torch.Tensor.__eq__",
     "bool((torch.zeros(1) == torch.ones(1)).all())", "False"),
    ("keras.layers.Dense.call = lambda self, x: x",
     "minilib.layers.core.dense.Dense.call", "keras.layers.Dense.call.__name__", "'call'"),
    ("np.testing.assert_allclose.__code__ = (lambda *a, **k: None).__code__",
     "numpy.testing._private.utils.assert_allclose.__code__",
     "np.testing.assert_allclose.__code__.co_name", "'assert_allclose'"),
])
def test_replacements_are_put_back_and_reported(kernel, patch, reported, restored, expected):
    assert kernel.run("import numpy as np\nimport minilib as keras\nimport torch")["status"] == "ok"
    assert kernel.run(patch)["status"] == "ok"
    changed, rebound = kernel.check()
    assert changed == [reported] and rebound == []
    assert kernel.value(restored) == expected
    assert kernel.check() == ([], [])


def test_a_rebound_import_name_is_set_back(kernel):
    kernel.run("import numpy as np\nnp = 'not numpy'")
    assert kernel.check() == ([], ["np"])
    assert kernel.value("np.__name__") == "'numpy'"


def test_a_test_cell_runs_as_ipython_would(kernel):
    kernel.run("import numpy as np\nrng = np.random.default_rng(0)")
    assert kernel.test("points = 2.0\nprint('hello')\npoints")["result"] == "2.0"
    assert kernel.test("points;")["result"] is None  # a final `;` shows nothing
    answer = kernel.test("import sys\nprint('x', file=sys.stderr)\n%time y = 1\ny + 1")
    assert (answer["status"], answer["stderr"], answer["result"]) == ("ok", "x\n", "2")
    failed = kernel.test("z = 1\nassert z == 2, 'z is wrong'")
    assert (failed["status"], failed["ename"], failed["evalue"]) == (
        "error", "AssertionError", "z is wrong")
    assert "assert z == 2" in "".join(failed["traceback"])
    assert kernel.value("z") == "1"  # the test's names stay in the notebook's namespace


@pytest.mark.parametrize("hook, reported", [
    ("ip.input_transformers_cleanup.append(lambda lines: ['pass\\n'])",
     "get_ipython().input_transformer_manager.cleanup_transforms"),
    ("ip.ast_transformers.append(type('Strip', (ast.NodeTransformer,), {\n"
     "    'visit_Assert': lambda self, node: ast.Pass()})())", "get_ipython().ast_transformers"),
    ("ip.set_custom_exc((AssertionError,), lambda *a, **k: None)", "get_ipython().CustomTB"),
    ("ip.events.register('post_run_cell', lambda result: None)",
     "get_ipython().events.callbacks['post_run_cell']"),
    ("ip.run_cell = lambda *a, **k: None", "get_ipython().run_cell"),
    ("sys.settrace(lambda *a: None)", "sys.settrace"),
    ("sys.addaudithook(lambda *a: None)", "sys.addaudithook (refused)"),
])
def test_a_hook_of_the_student_is_removed_and_cannot_pass_a_test(kernel, hook, reported):
    assert kernel.run(f"import ast, sys\nip = get_ipython()\n{hook}")["status"] == "ok"
    answer = kernel.test("assert 1 == 2")
    assert answer["changed"] == [reported] and answer["ename"] == "AssertionError"
    assert kernel.run("assert 1 == 2")["status"] == "error"  # gone for later cells too
    assert kernel.check() == ([], [])


def test_hooks_that_libraries_add_stay_and_are_not_reported(kernel):
    plot = "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])"
    assert kernel.run(plot)["status"] == "ok"
    assert kernel.check() == ([], [])
    callbacks = "[f.__name__ for f in get_ipython().events.callbacks['post_execute']]"
    assert "flush_figures" in kernel.value(callbacks)


def test_a_change_while_the_test_runs_fails_it(kernel):
    kernel.run("import numpy as np, threading, time\npatching = True\n"
               "def patch():\n    while patching:\n"
               "        np.allclose = lambda *a, **k: True\n        time.sleep(0.001)\n"
               "threading.Thread(target=patch).start()")
    answer = kernel.test("time.sleep(0.05)")
    assert answer["changed"] == ["numpy.allclose"] and answer["during"] == ["numpy.allclose"]
    kernel.run("patching = False\ntime.sleep(0.01)")
    assert kernel.check() == (["numpy.allclose"], [])


def test_an_altered_answer_is_rejected(kernel):
    request = kernel.guard.test_request("assert False", 100)
    message = kernel.client.session.msg(kernel.guard.message_type, request)
    kernel.client.shell_channel.send(message)
    content = kernel.reply_to(message["header"]["msg_id"])["content"]
    assert kernel.guard.read_answer(request, content)["status"] == "error"
    forged = content["answer"].replace("'error'", "'ok'")
    assert kernel.guard.read_answer(request, {**content, "answer": forged}) is None
    other = {**request, "code": "pass"}  # the answer is to the source the grader sent
    assert kernel.guard.read_answer(other, content) is None


@pytest.mark.slow
def test_a_removed_guard_does_not_answer():
    kernel = Kernel()
    try:
        kernel.run("ip = get_ipython()\nfor name in list(ip.kernel.shell_handlers):\n"
                   "    if name.startswith('course_guard'):\n"
                   "        ip.kernel.shell_handlers[name] = lambda *a: None")
        request = kernel.guard.test_request("", 100)
        message = kernel.client.session.msg(kernel.guard.message_type, request)
        kernel.client.shell_channel.send(message)
        with pytest.raises(Exception):  # noqa: B017 - queue.Empty: no reply comes
            kernel.client.get_shell_msg(timeout=2)
    finally:
        kernel.stop()
