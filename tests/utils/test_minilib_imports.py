"""minilib's imports: no hidden cycle, each module importable alone, a light `import minilib`.

A cycle can hide behind an import inside a function, so the graph read here has every import,
wherever it is (see `tests/helpers/import_graph.py`). Each import inside a function must be
listed below with its reason:

- LOADED_WHEN_USED: the module it loads stays out of `import minilib`, because it pulls a
  slow package (h5py for the file formats, matplotlib for the widgets) or stands for a
  namespace minilib does not offer, and only some calls need it. Such an import must not
  close a ring: minilib has no cycle through them.
- RINGS: the module it loads imports this one back, or the package `__init__` files that
  Python runs before it do. Three are by design: a class that builds or looks up classes
  defined after it, in modules that import its own. These are the only rings in minilib's
  graph, each closed by one import inside a function.
- LAZY_PACKAGES: optional or slow third-party packages, imported when a call needs them.

`import minilib` loads neither the file formats (`minilib.saving`, h5py) nor the widgets
(`minilib.viz`, matplotlib) nor the scikit-learn wrappers nor ONNX export: they load on
first use.
"""

from pathlib import Path

from tests.helpers.import_graph import (
    all_imports,
    find_cycle,
    import_graph,
    loaded_after,
    modules_that_fail_alone,
    package_modules,
    packages_above,
    reaches,
    third_party_imports,
    what_importing_runs,
)

PACKAGE = Path(__file__).resolve().parents[2] / "minilib"

# (module, the minilib module it imports inside a function): why the import waits.
LOADED_WHEN_USED = {
    ("minilib.models.model", "minilib.saving"):
        "model.save, save_weights and load_weights write and read files with h5py, slow to "
        "import; the file formats load when a file is first written or read",
    ("minilib.models", "minilib.saving"):
        "models.load_model reads a file with h5py; the file formats load on the first load",
    ("minilib.callbacks.tensorboard", "minilib.viz.model_graph"):
        "the graph TensorBoard shows is drawn by minilib.viz, which `import minilib` leaves "
        "out; it loads when a TensorBoard callback first writes a graph",
    ("minilib.utils.plot_model", "minilib.viz.model_graph"):
        "plot_model draws with minilib.viz, which `import minilib` leaves out",
    ("minilib.models.model", "minilib.export.onnx"):
        "model.export loads minilib.export, which `import minilib` leaves out, as "
        "`keras.export` is left out (Keras's own needs TensorFlow; see keras_conformance.md)",
}

# (module, the minilib module it imports inside a function): the ring that import closes.
RINGS = {
    ("minilib.models.model", "minilib.models.functional"):
        "Model(inputs, outputs) makes a Functional, a subclass of Model, so functional.py "
        "imports model.py; Keras's Model does the same",
    ("minilib.ops.core", "minilib.graph.keras_tensor"):
        "ops refuses symbolic tensors; importing keras_tensor runs minilib.graph's __init__, "
        "whose Node needs minilib.utils, whose __init__ loads helpers built on layers, "
        "which compute with ops",
}

# Third-party modules imported inside functions, by package: why they wait.
LAZY_PACKAGES = {
    "PIL": "Pillow reads and writes image files, for the image helpers only",
    "sklearn": "scikit-learn builds some toy datasets; slow to import",
    "scipy": "moves and bends the glyph digits when they are drawn, the first time only",
    "matplotlib": "draws the widgets, and its fonts give the glyph digits; slow to import",
    "ipywidgets": "the widgets' controls, in a notebook only",
    "IPython": "shows pictures in a notebook only",
    "tensorboard": "optional: TensorBoard's protocol buffers, for the TensorBoard callback",
    "google": "protobuf, with which the TensorBoard callback writes its projector config",
    "torch.utils.tensorboard": "imports the optional tensorboard package",
}
# Slow or optional: `import minilib` must leave these out.
LEFT_OUT_OF_IMPORT_MINILIB = ("h5py", "matplotlib", "sklearn", "minilib.export", "minilib.saving",
                       "minilib.viz", "minilib.wrappers")


def function_level_imports():
    """{(module, imported)} for the imports inside functions across minilib."""
    return {(module, imported) for module, imported, top in all_imports(PACKAGE) if not top}


def package_of(module):
    """The LAZY_PACKAGES entry that `module` falls under, or None."""
    names = [name for name in LAZY_PACKAGES if module == name or module.startswith(f"{name}.")]
    return max(names, key=len, default=None)


def test_minilib_has_no_import_cycle_but_the_listed_rings():
    modules = package_modules(PACKAGE)
    graph = import_graph(all_imports(PACKAGE), modules, leave_out=RINGS)
    assert find_cycle(graph) is None


def test_each_listed_ring_is_one_and_its_import_waits():
    runs = what_importing_runs(all_imports(PACKAGE), package_modules(PACKAGE))
    for module, imported in RINGS:
        first = [imported, *(package for package in packages_above(imported)
                             if package not in packages_above(module))]
        assert any(reaches(runs, start, module) for start in first), (
            f"{module} -> {imported} closes no ring: import it at the top of the module")
    assert set(RINGS) <= function_level_imports()


def test_imports_inside_functions_load_no_minilib_module_unless_listed():
    modules = package_modules(PACKAGE)
    lazy = {pair for pair in function_level_imports() if pair[1] in modules}
    assert lazy == set(LOADED_WHEN_USED) | set(RINGS)


def test_imports_inside_functions_load_only_the_listed_packages():
    modules = package_modules(PACKAGE)
    lazy = {imported for _, imported in function_level_imports() if imported not in modules}
    assert {name for name in lazy if package_of(name) is None} == set()
    assert {package_of(name) for name in lazy} == set(LAZY_PACKAGES)


def test_every_minilib_module_imports_on_its_own():
    # Importing any minilib module first imports the package `minilib`, all of it; so the
    # children are forked from a process that has done that, after the third-party packages
    # minilib's modules import, and each child imports one module that it left out.
    first = [*third_party_imports(all_imports(PACKAGE), "minilib"), "minilib"]
    failed, tracebacks = modules_that_fail_alone(first, list(package_modules(PACKAGE)))
    assert failed == [], tracebacks


def test_the_import_check_sees_a_module_that_fails():
    failed, tracebacks = modules_that_fail_alone(["json"], ["json.tool", "json.no_such_module"])
    assert failed == ["json.no_such_module"]
    assert "ModuleNotFoundError" in tracebacks


def test_import_minilib_leaves_h5py_matplotlib_and_scikit_learn_out():
    assert loaded_after(["minilib"], LEFT_OUT_OF_IMPORT_MINILIB) == []
    assert loaded_after(["minilib.saving"], LEFT_OUT_OF_IMPORT_MINILIB) == [
        "h5py", "minilib.saving"]
