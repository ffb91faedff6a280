"""The test guard in a real IPython kernel: what student code replaces is put back and reported."""

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

    def __init__(self):
        self.manager, self.client = start_new_kernel(kernel_name="python3")
        self.name = guard.new_guard_name()
        assert self.run(guard.setup_code(self.name, IMPORTS))["status"] == "ok"

    def run(self, code, **expressions):
        request = self.client.execute(code, silent=True, user_expressions=expressions)
        while True:
            reply = self.client.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == request:
                return reply["content"]

    def check(self):
        reply = self.run("", guard=guard.check_expression(self.name))
        return guard.read_report(reply["user_expressions"])

    def value(self, expression):
        return self.run("", x=expression)["user_expressions"]["x"]["data"]["text/plain"]

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


def test_a_removed_guard_does_not_answer():
    kernel = Kernel()
    try:
        kernel.run(f"import builtins\ndel builtins.{kernel.name}")
        assert kernel.check() is None
    finally:
        kernel.stop()
