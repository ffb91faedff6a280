"""A package's import graph, read from its source, for the tests that keep it free of cycles.

The graph holds every import, wherever it is: a cycle can hide behind an import inside a
function, which runs only when the function does. Each import is recorded with where it is
(at module level, or inside a function), so that a test can list the ones that wait.

Python imports a package's `__init__` before any module inside it; `import_graph` leaves
those implicit imports out (a package that re-exports its modules would otherwise be a ring
with each of them), `what_importing_runs` puts them in, to show a ring that passes through
them. Importing every module alone, in a process of its own (`modules_that_fail_alone`), is
what checks that the order of those `__init__` files works.
"""

import ast
import subprocess
import sys

# Import `argv[1]`'s modules, then each of `argv[2]`'s that is not loaded yet in a child
# process forked from this one (a fresh interpreter per module would import torch or nbgrader
# each time). Prints the modules that failed; the child's traceback goes to stderr.
_IMPORT_EACH_ALONE = """\
import importlib, os, sys, traceback
for name in sys.argv[1].split():
    importlib.import_module(name)
failed = []
for name in sys.argv[2].split():
    if name in sys.modules:
        continue
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


def package_modules(package):
    """{dotted name: path} of every module of the package in folder `package`, packages too."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
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


def all_imports(package):
    """[(importing module, imported module, at module level?)] across the package in `package`."""
    modules = package_modules(package)
    return [(module, imported, top)
            for module, path in modules.items()
            for imported, top in imports_in(path.read_text(), module,
                                            path.name == "__init__.py", modules)]


def import_graph(imports, modules, leave_out=()):
    """{module: the modules of `modules` it imports}, from `all_imports`'s list, without the
    (importer, imported) pairs in `leave_out`."""
    graph = {}
    for module, imported, _ in imports:
        if imported in modules and (module, imported) not in leave_out:
            graph.setdefault(module, set()).add(imported)
    return graph


def packages_above(module):
    """The packages that hold `module`, outermost first: "a.b.c" gives ["a", "a.b"]."""
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def what_importing_runs(imports, modules):
    """{module: the modules its import runs at once}, from `all_imports`'s list.

    Those are its module-level imports and, for each, the `__init__` of every package above
    the imported module that is not above the importer (Python runs those first; the
    importer's own packages are already being imported).
    """
    graph = {}
    for module, imported, top in imports:
        if top and imported in modules:
            graph.setdefault(module, set()).update(
                [imported, *(package for package in packages_above(imported)
                             if package not in packages_above(module) and package != module)])
    return graph


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


def reaches(graph, start, goal):
    """Whether a chain of imports leads from module `start` to module `goal`."""
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module == goal:
            return True
        if module not in seen:
            seen.add(module)
            todo.extend(graph.get(module, ()))
    return False


def third_party_imports(imports, root):
    """The modules outside package `root` that its modules import at module level, sorted."""
    return sorted({imported for _, imported, top in imports
                   if top and imported.split(".")[0] != root})


def modules_that_fail_alone(first, modules):
    """Which of `modules` fail to import, each in a process that has imported only `first`.

    `first` is the package itself and the third-party packages its modules import, so that
    no child imports them again. A module that `first` loaded is not tried again: importing
    it alone would run just what importing the package ran (Python imports a package's
    `__init__` before any module in it), and that worked. Returns `(failed names, stderr
    with their tracebacks)`.
    """
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH_ALONE, " ".join(first), " ".join(modules)],
        capture_output=True, text=True, check=True,
    )
    return result.stdout.split(), result.stderr


def loaded_after(imports, watched):
    """Which of the modules `watched` a fresh interpreter has loaded after importing `imports`."""
    code = (f"import sys\nimport {', '.join(imports)}\n"
            f"print(*[name for name in {sorted(watched)} if name in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return result.stdout.split()
