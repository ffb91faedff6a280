"""grading's imports: no cycles, every module importable on its own, and a light `course`.

A cycle can hide behind an import inside a function, so the graph read here has every import,
wherever it is; an import inside a function that loads a grading module must be listed, with
its reason, in LAZY_GRADING_IMPORTS.

The `course` process (the verbs, the runner and the steps it runs) never loads `execute`, nor
papermill with it: only a slot's worker process runs notebooks. nbclient cannot be kept out of
`course`: nbconvert imports it at once, and nbgrader, whose gradebook and preprocessors `course`
uses, imports nbconvert. So for nbclient what is checked is that grading asks for it only in
`execute`.
"""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "grading"

# (module, the grading module it imports inside a function): why the import waits.
LAZY_GRADING_IMPORTS = {
    ("grading.pipeline.worker", "grading.pipeline.execute"):
        "the worker process's loop imports papermill through execute; the runner imports "
        "worker.py too, for its Worker handle, and must not load papermill",
}
WORKER_ONLY = ("papermill", "nbclient")  # the packages that run notebooks
WORKER_SIDE = {"grading.pipeline.execute"}  # the only modules that may import them up front

# Import each module in a process of its own, forked from an interpreter that has imported
# only `grading` itself and the other packages grading's modules import (one fresh interpreter
# per module would cost about 17 s, nbgrader each time). Prints the modules that failed.
IMPORT_EACH_ALONE = """\
import importlib, os, sys, traceback
import grading
for name in sys.argv[2].split():
    importlib.import_module(name)
failed = []
for name in sys.argv[1].split():
    child = os.fork()
    if child == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    if os.waitpid(child, 0)[1] != 0:
        failed.append(name)
print(" ".join(failed))
"""


def grading_modules():
    """{dotted name: path} of every module of the grading package, packages included."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imports_in(source, module, is_package, known):
    """[(imported module, at module level?)] for each import in `source`, the code of `module`.

    Relative imports are made absolute; `from X import name` counts as importing X.name when
    that is one of the `known` modules, else X. An import inside a function is not at module
    level; one in a class body or under an `if` or `try` is.
    """
    found = []

    def visit(node, in_function):
        if isinstance(node, ast.Import):
            found.extend((alias.name, not in_function) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            package = module.split(".") if is_package else module.split(".")[:-1]
            base = ".".join(package[: len(package) - node.level + 1] if node.level else [])
            source_module = ".".join(part for part in (base, node.module) if part)
            for alias in node.names:
                submodule = f"{source_module}.{alias.name}"
                found.append((submodule if submodule in known else source_module,
                              not in_function))
        in_function = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(ast.parse(source), in_function=False)
    return found


def all_imports():
    """[(importing module, imported module, at module level?)] across grading."""
    modules = grading_modules()
    return [(module, imported, top)
            for module, path in modules.items()
            for imported, top in imports_in(path.read_text(), module,
                                            path.name == "__init__.py", modules)]


def find_cycle(graph):
    """A ring of modules that import each other, first one repeated at the end, or None.

    `graph` maps each module to the modules it imports.
    """
    state = {}  # module -> "open" while the imports under it are followed, then "done"

    def follow(module, path):
        state[module] = "open"
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == "open":
                return path[path.index(imported):] + [imported]
            if imported not in state:
                cycle = follow(imported, path + [imported])
                if cycle:
                    return cycle
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = follow(module, [module])
            if cycle:
                return cycle
    return None


def loaded_after(imports):
    """Which of papermill and WORKER_SIDE a fresh interpreter has loaded after `imports`."""
    watched = sorted({"papermill", *WORKER_SIDE})
    code = (f"import sys\nimport {', '.join(imports)}\n"
            f"print(*[name for name in {watched} if name in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return result.stdout.split()


def test_the_reader_sees_imports_hidden_in_functions_and_the_rings_they_make():
    known = {"grading.pipeline.runner", "grading.pipeline.cluster"}
    source = ("from .runner import GraderError\n"
              "def connect():\n    from .. import course\n    import distributed\n")
    assert imports_in(source, "grading.pipeline.cluster", False, known) == [
        ("grading.pipeline.runner", True), ("grading", False), ("distributed", False)]
    assert find_cycle({"runner": {"cluster"}, "cluster": {"job", "runner"}}) == [
        "cluster", "runner", "cluster"]
    assert find_cycle({"runner": {"cluster", "job"}, "cluster": {"job"}}) is None


def test_grading_has_no_import_cycle_not_even_through_a_function():
    modules, graph = grading_modules(), {}
    for module, imported, _ in all_imports():
        if imported in modules:
            graph.setdefault(module, set()).add(imported)
    assert find_cycle(graph) is None


def test_imports_inside_functions_load_no_grading_module_unless_listed():
    modules = grading_modules()
    lazy = {(module, imported) for module, imported, top in all_imports()
            if not top and imported in modules}
    assert lazy == set(LAZY_GRADING_IMPORTS)


def test_every_grading_module_imports_on_its_own():
    already_there = ("grading", "grading.lean_imports")  # imported first, before any fork
    modules = [name for name in grading_modules() if name not in already_there]
    third_party = sorted({imported for _, imported, top in all_imports()
                          if top and imported.split(".")[0] != "grading"})
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH_ALONE, " ".join(modules), " ".join(third_party)],
        capture_output=True, text=True, check=True,
    )
    assert result.stdout.split() == [], result.stderr


def test_only_execute_imports_papermill_or_nbclient_up_front():
    importers = {module for module, imported, top in all_imports()
                 if top and imported.split(".")[0] in WORKER_ONLY}
    assert importers == WORKER_SIDE


def test_course_and_its_verbs_load_neither_execute_nor_papermill():
    verbs = [name for name in grading_modules() if name.startswith("grading.commands.")]
    assert loaded_after(["grading.cli", "grading.pipeline.runner", *verbs]) == []
    assert loaded_after(["grading.pipeline.execute"]) == ["grading.pipeline.execute", "papermill"]
