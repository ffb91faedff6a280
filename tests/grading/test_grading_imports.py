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

from pathlib import Path

from tests.helpers.import_graph import (
    all_imports,
    find_cycle,
    import_graph,
    imports_in,
    loaded_after,
    modules_that_fail_alone,
    package_modules,
    third_party_imports,
)

PACKAGE = Path(__file__).resolve().parents[2] / "grading"

# (module, the grading module it imports inside a function): why the import waits.
LAZY_GRADING_IMPORTS = {
    ("grading.pipeline.worker", "grading.pipeline.execute"):
        "the worker process's loop imports papermill through execute; the runner imports "
        "worker.py too, for its Worker handle, and must not load papermill",
}
WORKER_ONLY = ("papermill", "nbclient")  # the packages that run notebooks
WORKER_SIDE = {"grading.pipeline.execute"}  # the only modules that may import them up front


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
    assert find_cycle(import_graph(all_imports(PACKAGE), package_modules(PACKAGE))) is None


def test_imports_inside_functions_load_no_grading_module_unless_listed():
    modules = package_modules(PACKAGE)
    lazy = {(module, imported) for module, imported, top in all_imports(PACKAGE)
            if not top and imported in modules}
    assert lazy == set(LAZY_GRADING_IMPORTS)


def test_every_grading_module_imports_on_its_own():
    # The children are forked from a process that has imported `grading` itself and the
    # other packages grading's modules import (one fresh interpreter per module would cost
    # about 17 s, nbgrader each time).
    first = ["grading", *third_party_imports(all_imports(PACKAGE), "grading")]
    failed, tracebacks = modules_that_fail_alone(first, list(package_modules(PACKAGE)))
    assert failed == [], tracebacks


def test_only_execute_imports_papermill_or_nbclient_up_front():
    importers = {module for module, imported, top in all_imports(PACKAGE)
                 if top and imported.split(".")[0] in WORKER_ONLY}
    assert importers == WORKER_SIDE


def test_course_and_its_verbs_load_neither_execute_nor_papermill():
    verbs = [name for name in package_modules(PACKAGE) if name.startswith("grading.commands.")]
    watched = {"papermill", *WORKER_SIDE}
    assert loaded_after(["grading.cli", "grading.pipeline.runner", *verbs], watched) == []
    assert loaded_after(["grading.pipeline.execute"], watched) == [
        "grading.pipeline.execute", "papermill"]
