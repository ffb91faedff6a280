"""Keep student code from rigging the tests: what test cells rely on is put back before each.

Student code and the tests run in one kernel, so a submission could make every test pass
without solving anything: `np.allclose = lambda *a, **k: True`, a fake `numpy` in
`sys.modules`, a patched `builtins.abs`, `torch.Tensor.__eq__` replaced, a function's
`__code__` swapped, or the name `np` bound to something else.

The guard works in two halves:

* on the host, `instructor_imports` reads the imports of the instructor's source notebook
  (`import numpy as np` -> `{"np": ["numpy", None]}`); the student's cells play no part;
* in the kernel, before any student code runs, `install_guard` imports those modules and
  remembers every public attribute of them, of the modules one level below them
  (`numpy.linalg`, `minilib.layers`) and of the Python classes they define, plus `builtins`
  and `math`. It leaves a function in `builtins` under a name chosen at random per run.
  Before each grade cell the grader calls it: it puts back every changed attribute, module
  and name, and answers with what it had to put back, which the grader reports as tampering.

Limits, stated plainly: everything in one process can, in principle, be reached by code in
that process. The guard stops the patching a student can write in a line or two, and the tests
then run against the real functions; a student who searches the interpreter for the guard
itself will find it, and removing it stops the notebook with a tampering report.
"""

import ast
import inspect
import json
import secrets

GUARDED_IMPORTS = "course_guarded_imports"  # the prepared notebook's metadata key for them


def instructor_imports(nb):
    """{name bound: [module, attribute or None]} for every import in the notebook's code cells,
    e.g. `from numpy import testing as npt` -> {"npt": ["numpy", "testing"]}."""
    imports = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython magics, or an instructor's typo
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        imports[alias.asname] = [alias.name, None]
                    else:  # `import a.b` binds `a`
                        root = alias.name.split(".")[0]
                        imports[root] = [root, None]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name != "*":
                        imports[alias.asname or alias.name] = [node.module, alias.name]
    return imports


def new_guard_name():
    """A name for the guard in `builtins` that student code cannot know in advance."""
    return f"_course_guard_{secrets.token_hex(8)}"


def setup_code(guard_name, imports):
    """Source for the kernel: define `install_guard` and run it, leaving no trace but the guard."""
    return (f"{inspect.getsource(install_guard)}\n"
            f"install_guard({guard_name!r}, {json.dumps(imports)!r})\n"
            "del install_guard\n")


def check_expression(guard_name):
    """The user expression whose value (a JSON string) says what the guard put back."""
    return f"{guard_name}()"


def read_report(user_expressions):
    """What the guard put back, from the execute reply's `user_expressions`, as
    (changed, rebound); None when the guard did not answer (it was removed or broken)."""
    value = user_expressions.get("guard", {})
    if value.get("status") != "ok":
        return None
    try:
        report = json.loads(ast.literal_eval(value["data"]["text/plain"]))
        return list(report["changed"]), list(report["rebound"])
    except (KeyError, ValueError, SyntaxError, TypeError):
        return None


def install_guard(guard_name, imports_json):
    """(Runs in the kernel, before student code.) Remember what the tests rely on, and put a
    function in `builtins` that restores it and says what it restored, as JSON."""
    import builtins
    import importlib
    import json
    import sys
    import types

    set_in_dict, set_on_class, delete_from_class = (
        dict.__setitem__, type.__setattr__, type.__delattr__)
    set_per_cell_by_ipython = {"display", "get_ipython", "exit", "quit", "input"}
    imports = json.loads(imports_json)
    shell = get_ipython()  # noqa: F821 - defined in every IPython kernel

    modules = {"builtins": builtins, "math": importlib.import_module("math")}
    for module_name, attribute in imports.values():
        names = [module_name] + ([f"{module_name}.{attribute}"] if attribute else [])
        if module_name.split(".")[0] == "numpy":
            names.append("numpy.testing")  # loaded lazily by numpy, but a favourite of tests
        for name in names:
            try:
                modules[name] = importlib.import_module(name)
            except Exception:  # not a module, or broken: the notebook's own import will tell
                pass
    for module in list(modules.values()):
        for value in list(vars(module).values()):
            if isinstance(value, types.ModuleType) and value.__name__.startswith(
                    module.__name__ + "."):
                modules.setdefault(value.__name__, value)

    def watched_names(module_name, namespace):
        if module_name == "builtins":
            return {n: v for n, v in namespace.items() if n not in set_per_cell_by_ipython
                    and (not n.startswith("_") or n in ("__import__", "__build_class__"))}
        return {n: v for n, v in namespace.items() if not n.startswith("_")}

    # (label, class or None, live namespace, entries to keep): all looked up now, so that the
    # guard calls no builtin that student code could have replaced.
    saved = [(name, None, vars(module), watched_names(name, dict(vars(module))))
             for name, module in modules.items()]
    classes = set()
    for module_name, _, _, attributes in list(saved):
        for value in attributes.values():
            if isinstance(value, type) and value not in classes and value.__module__.split(
                    ".")[0] == module_name.split(".")[0] and value.__flags__ & (1 << 9):
                classes.add(value)  # a class written in Python, defined by this package
                label = f"{value.__module__}.{value.__qualname__}"
                saved.append((label, value, vars(value), dict(vars(value))))
    saved_code = {value: value.__code__ for _, _, _, attributes in saved
                  for value in attributes.values() if isinstance(value, types.FunctionType)}
    bound = {}
    for alias, (module_name, attribute) in imports.items():
        try:
            module = importlib.import_module(module_name)
            bound[alias] = getattr(module, attribute) if attribute else module
        except Exception:
            pass
    loaded, user_names, dumps = sys.modules, shell.user_ns, json.dumps
    registered = {name: module for name, module in modules.items() if loaded.get(name) is module}

    def guard():
        changed, rebound = [], []
        for name, module in registered.items():
            if loaded.get(name) is not module:
                set_in_dict(loaded, name, module)
                changed.append(f"sys.modules[{name!r}]")
        for label, cls, namespace, attributes in saved:
            for attribute, value in attributes.items():
                if namespace.get(attribute, guard) is not value:
                    if cls is None:
                        set_in_dict(namespace, attribute, value)
                    else:  # a class's namespace is read-only; set the attribute instead
                        set_on_class(cls, attribute, value)
                    changed.append(f"{label}.{attribute}")
            if cls is not None:  # a method added to a class overrides its base class's
                for attribute in [a for a in namespace if a not in attributes]:
                    delete_from_class(cls, attribute)
                    changed.append(f"{label}.{attribute}")
        for function, code in saved_code.items():
            if function.__code__ is not code:
                function.__code__ = code
                changed.append(f"{function.__module__}.{function.__qualname__}.__code__")
        for alias, value in bound.items():
            current = user_names.get(alias, guard)
            if current is not value:
                set_in_dict(user_names, alias, value)
                if current is not guard:  # not merely imported later in the notebook
                    rebound.append(alias)
        return dumps({"changed": changed, "rebound": rebound})

    set_in_dict(vars(builtins), guard_name, guard)
