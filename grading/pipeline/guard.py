"""Keep student code from rigging the tests: each test cell runs in a state it cannot reach.

Student code and the tests run in one kernel, so a submission could make every test pass
without solving anything, in two ways:

* change what the tests call: `np.allclose = lambda *a, **k: True`, a fake `numpy` in
  `sys.modules`, `builtins.abs` or `torch.Tensor.__eq__` replaced, a function's `__code__`
  swapped, the name `np` bound to something else, the notebook's namespace swapped;
* change how IPython runs a cell: an input or AST transformer that strips the `assert`s, a
  custom exception handler or a `post_run_cell` callback that clears a failure, a patched
  `run_cell`, a display formatter that shows "3.0" for every number, a `pre_run_cell`
  callback, trace function, signal handler or thread that patches things as the test starts.

So a test cell never goes through IPython's `run_cell`. The guard is a handler for a message
type of its own, registered with the kernel before any student code runs (`setup_code`); the
first message (`Guard.baseline_request`) takes the snapshot of the kernel's state and hands the
handler the key that signs its answers. For each test cell the grader sends the instructor's
source (from the gradebook, never the submitted notebook; `Guard.test_request`), and the
handler, without passing through any IPython hook:

1. puts back everything the student replaced: attributes of the modules the instructor's
   source imports, of the modules one level below them and of their Python classes,
   `builtins` and `math`, the names those imports bind; IPython's event callbacks, input and
   AST transformers, exception, display and trace hooks, methods patched on the shell, the
   kernel and their parts, `sys.meta_path`, signal handlers and timers. Hooks that libraries
   add (`%matplotlib inline` registers some) stay, and are not reported; the student's own
   (functions defined in the notebook) go, and are;
2. compiles the source itself and runs it in the notebook's namespace, as IPython would (the
   value of a final expression is the result), capturing what it prints;
3. checks everything again: whatever changed while the test ran (a thread, a signal, a
   finalizer of the student's) makes the test fail;
4. answers with what it put back and how the test went, signed with the key over the request's
   nonce, the source it ran and the answer (`Guard.read_answer`): an answer the student's code
   forged or altered, or no answer, stops the notebook with a tampering report.

An audit hook, installed first, refuses the student's own audit hooks (they cannot be removed
and would run as the test's code is compiled) and notes `sys.settrace` during a test.

Limits, stated plainly: everything in one process can, in principle, be reached by code in
that process. The guard stops the patching a student can write in a few lines, and the tests
then run against the real functions; a student who searches the interpreter for the guard
itself (its handler, its key) can defeat it. A thread may still patch and unpatch within one
test's run unseen. The kernel is killed at the end, so `atexit` functions never run.
"""

import ast
import hashlib
import hmac
import inspect
import json
import secrets
import uuid

GUARDED_IMPORTS = "course_guarded_imports"  # the prepared notebook's metadata key for them

# Modules of the kernel's own machinery whose classes the guard keeps intact as well.
KERNEL_MODULES = [
    "IPython.core.interactiveshell", "IPython.core.events", "IPython.core.formatters",
    "IPython.core.displayhook", "IPython.core.displaypub", "IPython.core.display_trap",
    "IPython.core.builtin_trap", "IPython.core.compilerop", "IPython.core.inputtransformer2",
    "ipykernel.kernelbase", "ipykernel.ipkernel", "ipykernel.zmqshell",
    "ipykernel.displayhook", "traceback", "linecache",
]


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


class Guard:
    """The grader's side of one kernel's guard: its message type, its key, its messages.

    Example:
        guard = Guard({"np": ["numpy", None]})
        kc.execute(guard.setup_code(), silent=True)    # before any student code
        request = guard.baseline_request()              # then, as a message of its own:
        kc.shell_channel.send(kc.session.msg(guard.message_type, request))
        guard.read_answer(request, reply["content"])    # -> {"kind": "baseline", ...}
    """

    def __init__(self, imports):
        self.imports = imports
        self.message_type = f"course_guard_{secrets.token_hex(8)}_request"
        self.key = secrets.token_bytes(32)

    def setup_code(self):
        """Source for the kernel: define the guard and register its handler, leaving no other
        trace. It carries no secret: IPython keeps the source of what it runs."""
        return (f"{inspect.getsource(install_guard)}\n"
                f"install_guard({self.message_type!r}, {json.dumps(self.imports)!r}, "
                f"{KERNEL_MODULES!r})\n"
                "del install_guard\n")

    def baseline_request(self):
        """The first message: take the snapshot, and keep the key (sent once, never run)."""
        return {"action": "baseline", "key": self.key.hex(), "code": "", "nonce": _nonce()}

    def test_request(self, code, output_limit):
        """Run test source `code`; what it prints is kept up to `output_limit` characters."""
        return {"action": "test", "code": code, "output_limit": output_limit,
                "nonce": _nonce()}

    def read_answer(self, request, content):
        """The answer to `request` as a dict, or None if it is missing, forged or altered."""
        try:
            payload, mac = content["answer"], content["mac"]
            signed = "\0".join([request["nonce"], request["action"], request["code"], payload])
            expected = hmac.new(self.key, signed.encode(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, mac):
                return None
            answer = ast.literal_eval(payload)
        except (KeyError, TypeError, ValueError, SyntaxError, UnicodeError, MemoryError):
            return None
        return answer if isinstance(answer, dict) else None


def _nonce():
    return uuid.uuid4().hex


def install_guard(message_type, imports_json, kernel_modules):
    """(Runs in the kernel, before student code.) Register the handler of `message_type`,
    which takes the snapshot on its first message and runs test cells on the next ones."""
    import __future__  # noqa: I001 - the module, for its feature flags
    import _ast
    import builtins
    import functools
    import gc
    import importlib
    import itertools
    import json
    import linecache
    import operator
    import signal
    import sys
    import threading
    import traceback
    import types

    from IPython.core.formatters import PlainTextFormatter
    from IPython.core.inputtransformer2 import TransformerManager
    try:
        from _hashlib import hmac_digest
    except ImportError:  # Python built without OpenSSL
        from hmac import digest as hmac_digest

    # Everything the handler calls is looked up now, so that no replacement reaches it.
    set_in_dict, delete_from_dict = dict.__setitem__, dict.__delitem__
    set_on_class, delete_from_class = type.__setattr__, type.__delattr__
    set_list, dict_get, ne = list.__setitem__, dict.get, operator.ne
    is_, is_not, code_of = operator.is_, operator.is_not, operator.attrgetter("__code__")
    repeat, everything = itertools.repeat, slice(None)
    compile_, exec_, eval_, repr_, type_ = compile, exec, eval, repr, type
    getsignal, setsignal, setitimer = signal.getsignal, signal.signal, signal.setitimer
    gettrace, settrace, getprofile, setprofile = (
        sys.gettrace, sys.settrace, sys.getprofile, sys.setprofile)
    format_exception, cached_lines = traceback.format_exception, linecache.cache
    set_in_module = types.ModuleType.__setattr__
    function_type, method_type, partial_type = (
        types.FunctionType, types.MethodType, functools.partial)
    c_callables = (types.BuiltinFunctionType, types.BuiltinMethodType,
                   types.WrapperDescriptorType, types.MethodWrapperType,
                   types.MethodDescriptorType, types.ClassMethodDescriptorType)
    mro_of = type.__dict__["__mro__"].__get__
    dict_of = type.__dict__["__dict__"].__get__
    module_ast, expression_ast, expr_ast = _ast.Module, _ast.Expression, _ast.Expr
    only_ast = _ast.PyCF_ONLY_AST
    missing = object()

    def contents_of(cell):
        try:
            return cell.cell_contents
        except ValueError:  # a closure cell not yet filled
            return None

    shell = get_ipython()  # noqa: F821 - defined in every IPython kernel
    kernel = shell.kernel
    send = kernel.session.send
    imports = json.loads(imports_json)
    result_text = PlainTextFormatter()  # what IPython shows for a value, out of student reach
    transform = TransformerManager().transform_cell  # IPython syntax (magics) to Python
    set_per_cell_by_ipython = {"display", "get_ipython", "exit", "quit", "input"}
    state = {}  # filled by the first message: the key, and everything remembered
    audit_notes = []  # audit hooks refused, trace functions set during a test

    def audit(event, args):
        if event == "sys.addaudithook":
            audit_notes.append("sys.addaudithook (refused)")
            raise RuntimeError("audit hooks are not allowed while grading")
        if state.get("testing") and event in ("sys.settrace", "sys.setprofile"):
            audit_notes.append(event)

    sys.addaudithook(audit)

    # -- what test cells rely on: modules, classes, functions, imported names ------------

    def remember_modules():
        modules = {"builtins": builtins, "math": importlib.import_module("math")}
        wanted = [module for module, _ in imports.values()]
        wanted += [f"{module}.{attribute}" for module, attribute in imports.values() if attribute]
        if any(name.split(".")[0] == "numpy" for name in wanted):
            wanted.append("numpy.testing")  # loaded lazily by numpy, but a favourite of tests
        for name in wanted + kernel_modules:
            try:
                modules[name] = importlib.import_module(name)
            except Exception:  # not a module, or broken: the notebook's own import will tell
                pass
        for module in list(modules.values()):
            for value in list(vars(module).values()):
                if isinstance(value, types.ModuleType) and value.__name__.startswith(
                        module.__name__ + "."):
                    modules.setdefault(value.__name__, value)
        return modules

    def watched_names(module_name, namespace):
        if module_name == "builtins":
            return {n: v for n, v in namespace.items() if n not in set_per_cell_by_ipython
                    and (not n.startswith("_") or n in ("__import__", "__build_class__"))}
        return {n: v for n, v in namespace.items() if not n.startswith("_")}

    def snapshot(label, cls, namespace, attributes):
        return (label, cls, namespace, tuple(attributes), tuple(attributes.values()),
                len(namespace))

    def remember(modules):
        saved = [snapshot(name, None, vars(module), watched_names(name, dict(vars(module))))
                 for name, module in modules.items()]
        classes = set()
        for module_name, _, _, _, values, _ in list(saved):
            for value in values:
                if isinstance(value, type) and value not in classes and value.__module__.split(
                        ".")[0] == module_name.split(".")[0] and value.__flags__ & (1 << 9):
                    classes.add(value)  # a class written in Python, defined by this package
                    label = f"{value.__module__}.{value.__qualname__}"
                    saved.append(snapshot(label, value, vars(value), dict(vars(value))))
        functions = {value for entry in saved for value in entry[4]
                     if type(value) is function_type}
        bound = {}
        for alias, (module_name, attribute) in imports.items():
            try:
                module = importlib.import_module(module_name)
                bound[alias] = getattr(module, attribute) if attribute else module
            except Exception:
                pass
        loaded = sys.modules
        registered = {name: module for name, module in modules.items()
                      if loaded.get(name) is module}
        # Every (namespace, name, value) in one flat row, for one pass in C when nothing changed;
        # a class's read-only namespace is looked through to the dict beneath it.
        dicts = [namespace if cls is None else gc.get_referents(namespace)[0]
                 for _, cls, namespace, keys, _, _ in saved for _ in keys]
        classes = [entry for entry in saved if entry[1] is not None]
        return {"saved": saved, "functions": tuple(functions),
                "flat": (tuple(dicts), tuple(k for entry in saved for k in entry[3]),
                         tuple(v for entry in saved for v in entry[4])),
                "class_dicts": tuple(gc.get_referents(entry[2])[0] for entry in classes),
                "class_sizes": tuple(entry[5] for entry in classes),
                "codes": tuple(map(code_of, functions)),
                "aliases": tuple(bound), "bound": tuple(bound.values()),
                "module_names": tuple(registered), "modules": tuple(registered.values())}

    def differ(current, saved):
        """Whether any of two sequences' items differ in identity (a loop in C)."""
        return any(map(is_not, current, saved))

    def unchanged_modules():
        dicts, keys, values = state["flat"]
        return not differ(map(dict_get, dicts, keys, repeat(missing)), values) and not any(
            map(ne, map(len, state["class_dicts"]), state["class_sizes"]))

    def put_back_modules(changed, rebound):
        """Restore what `remember` saw; note each thing under its dotted name."""
        loaded, names = sys.modules, state["user_names"]
        if differ(map(loaded.get, state["module_names"]), state["modules"]):
            for name, module in zip(state["module_names"], state["modules"], strict=True):
                if loaded.get(name) is not module:
                    set_in_dict(loaded, name, module)
                    changed.append(f"sys.modules[{name!r}]")
        for label, cls, namespace, keys, values, size in (
                [] if unchanged_modules() else state["saved"]):
            if not differ(map(namespace.get, keys, repeat(missing)), values) and (
                    cls is None or len(namespace) == size):
                continue
            for attribute, value in zip(keys, values, strict=True):
                if namespace.get(attribute, missing) is not value:
                    if cls is None:
                        set_in_dict(namespace, attribute, value)
                    else:  # a class's namespace is read-only; set the attribute instead
                        set_on_class(cls, attribute, value)
                    changed.append(f"{label}.{attribute}")
            if cls is not None:  # a method added to a class overrides its base class's
                for attribute in [a for a in namespace if a not in keys]:
                    delete_from_class(cls, attribute)
                    changed.append(f"{label}.{attribute}")
        if differ(map(code_of, state["functions"]), state["codes"]):
            for function, code in zip(state["functions"], state["codes"], strict=True):
                if function.__code__ is not code:
                    function.__code__ = code
                    changed.append(f"{function.__module__}.{function.__qualname__}.__code__")
        for alias, value in zip(state["aliases"], state["bound"], strict=True):
            current = names.get(alias, missing)
            if current is not value:
                set_in_dict(names, alias, value)
                if current is not missing:  # not merely imported later in the notebook
                    rebound.append(alias)

    # -- how IPython runs cells: hooks, transformers, patched methods -------------------

    def library_dirs(modules):
        dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix}
        for module in modules.values():
            path = getattr(module, "__file__", None) or ""
            package = module.__name__.count(".") + (path.endswith("__init__.py"))
            for _ in range(package):
                path = path.rpartition("/")[0]
            if path:
                dirs.add(path.rpartition("/")[0])
        return tuple(d.rstrip("/") + "/" for d in dirs if d) + ("<frozen ",)

    def from_library(value, depth=0):
        """Whether `value` is a library's (defined in an installed file), not the student's
        (defined in a notebook cell, a file of the submission, a string). Looks only through
        C-level accessors, so that no student code runs."""
        kind = type_(value)
        if depth > 3:
            return False
        if kind is function_type:  # its closure too: IPython wraps a custom exception handler
            if not str.startswith(value.__code__.co_filename, state["library_dirs"]):
                return False
            cells = value.__closure__ or ()
            return all(from_library(contents_of(cell), depth + 1) for cell in cells)
        if kind is method_type:
            return from_library(value.__func__, depth + 1)
        if kind is partial_type:
            return from_library(value.func, depth + 1)
        if kind in c_callables or value is None:
            return True
        cls = value if issubclass(kind, type) else kind
        for klass in mro_of(cls):
            for member in dict_of(klass).values():
                if type_(member) in (function_type, classmethod, staticmethod, property) and (
                        not from_library(getattr(member, "__func__", None)
                                         or getattr(member, "fget", None) or member, depth + 1)):
                    return False
        return True

    def hook_objects():
        """(label, object) for the shell and its parts whose methods a student could patch."""
        formatter = shell.display_formatter
        objects = [("get_ipython()", shell), ("get_ipython().kernel", kernel),
                   ("get_ipython().events", shell.events),
                   ("get_ipython().display_formatter", formatter),
                   ("get_ipython().displayhook", shell.displayhook),
                   ("get_ipython().display_pub", shell.display_pub),
                   ("get_ipython().display_trap", shell.display_trap),
                   ("get_ipython().builtin_trap", shell.builtin_trap),
                   ("get_ipython().compile", shell.compile),
                   ("get_ipython().input_transformer_manager", shell.input_transformer_manager)]
        objects += [(f"get_ipython().display_formatter.formatters[{mime!r}]", each)
                    for mime, each in formatter.formatters.items()]
        return objects

    def remember_hooks(modules):
        """Take the baseline of every hook: slots (one value each), registries (lists and
        dicts that libraries add to), methods of the shell's parts."""
        state["library_dirs"] = library_dirs(modules)
        objects = hook_objects()
        slots = []  # (label, dict holding it, key, value)
        for label, obj in objects:
            own = vars(obj)
            for key, value in own.items():
                if type_(value) in (method_type, function_type, partial_type) or key in (
                        "custom_exceptions", "compile", "displayhook", "display_pub",
                        "events", "callbacks", "hook", "user_module", "_user_ns",
                        "cleanup_transforms", "line_transforms", "token_transformers",
                        "shell_handlers", "session", "formatters"):
                    slots.append((f"{label}.{key}", own, key, value))
            traits = own.get("_trait_values", {})
            for key in ("display_formatter", "display_trap", "builtin_trap", "formatters",
                        "input_transformer_manager", "input_transformers_post",
                        "ast_transformers", "loop_runner", "kernel", "session", "type_printers",
                        "deferred_printers", "singleton_printers"):
                if key in traits:
                    slots.append((f"{label}.{key}", traits, key, traits[key]))
        slots += [(f"get_ipython().events.callbacks[{name!r}]", shell.events.callbacks, name,
                   callbacks) for name, callbacks in shell.events.callbacks.items()]
        formatters = shell.display_formatter.formatters
        slots += [(f"get_ipython().display_formatter.formatters[{mime!r}]", formatters, mime,
                   each) for mime, each in formatters.items()]
        slots += [(f"get_ipython().kernel.shell_handlers[{name!r}]", kernel.shell_handlers,
                   name, handler) for name, handler in kernel.shell_handlers.items()]
        slots += [(f"sys.{key}", vars(sys), key, getattr(sys, key))
                  for key in ("excepthook", "displayhook", "meta_path", "path_hooks")]
        slots += [(f"threading.{name}", vars(threading), key, vars(threading).get(key))
                  for name, key in (("settrace", "_trace_hook"),
                                    ("setprofile", "_profile_hook"))]
        slots.append(("the notebook's __builtins__", shell.user_ns, "__builtins__",
                      shell.user_ns.get("__builtins__")))
        registries = []  # (label, list or dict, its entries)
        events = shell.events.callbacks
        registries += [(f"get_ipython().events.callbacks[{name!r}]", callbacks, list(callbacks))
                       for name, callbacks in events.items()]
        manager = shell.input_transformer_manager
        registries += [(f"get_ipython().input_transformer_manager.{name}", getattr(manager, name),
                        list(getattr(manager, name)))
                       for name in ("cleanup_transforms", "line_transforms",
                                    "token_transformers")]
        registries += [(f"get_ipython().{name}", getattr(shell, name), list(getattr(shell, name)))
                       for name in ("input_transformers_post", "ast_transformers")]
        registries += [(f"sys.{name}", getattr(sys, name), list(getattr(sys, name)))
                       for name in ("meta_path", "path_hooks")]
        for mime, each in formatters.items():
            for name in ("type_printers", "deferred_printers", "singleton_printers"):
                table = getattr(each, name, None)
                if type_(table) is dict:
                    registries.append((f"get_ipython().display_formatter.formatters[{mime!r}]"
                                       f".{name}", table, dict(table)))
        methods = []  # (label, instance dict, its keys then, names of the class's methods)
        for label, obj in objects:
            names = {name for klass in mro_of(type_(obj)) for name, member in
                     dict_of(klass).items() if callable(member) or isinstance(member, property)}
            methods.append((label, vars(obj), frozenset(vars(obj)), frozenset(names)))
        state.update(slots=slots, registries=registries, methods=methods,
                     compile_flags=shell.compile.flags,
                     signals={number: getsignal(number) for number in signal.valid_signals()
                              if number not in (signal.SIGKILL, signal.SIGSTOP)},
                     signal_names={number.value: number.name for number in signal.Signals})

    def note(changed, label, value):
        """Report a hook unless a library installed it (a deleted one always)."""
        if value is missing or not from_library(value):
            changed.append(label)

    def put_back_hooks(changed):
        """Restore the baseline of every hook; the libraries' additions to registries stay."""
        for label, holder, key, value in state["slots"]:
            current = holder.get(key, missing)
            if current is not value:
                set_in_dict(holder, key, value)
                note(changed, label, current)
        for label, own, keys, method_names in state["methods"]:
            for key in [k for k in own.keys() - keys if k in method_names]:
                note(changed, f"{label}.{key}", own[key])
                delete_from_dict(own, key)
        for label, registry, entries in state["registries"]:
            if type_(registry) is dict:  # type -> printer: a library's stays, as in a list
                if len(registry) == len(entries) and not differ(
                        map(registry.get, entries, repeat(missing)), entries.values()):
                    continue
                foreign = [key for key, value in registry.items() if entries.get(
                    key, missing) is not value and not from_library(value)]
                lost = [key for key in entries if key not in registry]
                for key in foreign:
                    delete_from_dict(registry, key)
                dict.update(registry, entries)
                if foreign or lost:
                    changed.append(label)
                continue
            if len(registry) == len(entries) and not differ(registry, entries):
                continue
            added = [entry for entry in registry if not any(map(is_, repeat(entry), entries))]
            kept = [entry for entry in added if from_library(entry)]
            lost = [entry for entry in entries if not any(map(is_, repeat(entry), registry))]
            set_list(registry, everything, entries + kept)
            if lost or len(kept) < len(added):
                changed.append(label)
        flags, future = shell.compile.flags, state["future_flags"]
        if (flags ^ state["compile_flags"]) & ~future:  # `from __future__` may stay
            shell.compile.flags = state["compile_flags"] | (flags & future)
            changed.append("get_ipython().compile.flags")

    def put_back_interrupts(changed):
        """No trace or profile function, no signal handler or timer of the student's."""
        for label, get, put in (("sys.settrace", gettrace, settrace),
                                ("sys.setprofile", getprofile, setprofile)):
            function = get()
            if function is not None:
                put(None)
                note(changed, label, function)
        for number, handler in state["signals"].items():
            current = getsignal(number)
            if current is not handler and handler is not None:
                setsignal(number, handler)
                name = state["signal_names"].get(number, number)
                note(changed, f"signal.signal({name})", current)
        for timer in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
            if setitimer(timer, 0)[0]:
                changed.append("signal.setitimer")
        changed += audit_notes
        audit_notes.clear()

    def put_back():
        changed, rebound = [], []
        put_back_hooks(changed)  # first: finding out whose a hook is may run the student's code
        put_back_interrupts(changed)
        put_back_modules(changed, rebound)
        return changed, rebound

    # -- running a test cell -------------------------------------------------------------

    class Capture:
        """A stand-in for sys.stdout or sys.stderr during a test, keeping `limit` characters."""

        encoding, errors = "utf-8", "replace"

        def __init__(self, limit):
            self.parts, self.size, self.limit = [], 0, limit

        def write(self, text):
            text = text_of(text, 1 << 30)
            if self.size < self.limit:
                self.parts.append(text[: self.limit - self.size])
            self.size += len(text)
            return len(text)

        def flush(self):
            pass

        def isatty(self):
            return False

        def text(self):
            return "".join(self.parts)

    def text_of(value, limit=10_000):
        """`value` as a plain str (never a subclass, whose repr could forge the answer)."""
        try:
            return ("%s" % (value,))[:limit]  # noqa: UP031 - always a new, exact str
        except BaseException:
            return "(unprintable)"

    def parse(code):
        try:
            return compile_(code, "<test cell>", "exec", only_ast, dont_inherit=True), code
        except SyntaxError:  # IPython syntax (a magic): as IPython would transform it
            python = transform(code)
            return compile_(python, "<test cell>", "exec", only_ast, dont_inherit=True), python

    def ends_quietly(source, node):
        """Whether a `;` follows the final expression: IPython then shows no result."""
        line = source.encode().split(b"\n")[node.end_lineno - 1]
        return line[node.end_col_offset:].lstrip().startswith(b";")

    def run(code, namespace):
        """Run `code` as IPython would run a cell; the value of its final expression, or None."""
        tree, source = parse(code)
        body, last = tree.body, None
        if body and type_(body[-1]) is expr_ast and not ends_quietly(source, body[-1]):
            body, last = body[:-1], body[-1]
        exec_(compile_(module_ast(body, []), "<test cell>", "exec", dont_inherit=True),
              namespace)
        if last is not None:
            value = eval_(compile_(expression_ast(last.value), "<test cell>", "eval",
                                   dont_inherit=True), namespace)
            if value is not None:
                return text_of(result_text(value), 1_000_000)
        return None

    def run_test(code, output_limit):
        changed, rebound = put_back()
        namespace = state["user_names"]
        namespace.pop("__warningregistry__", None)  # warnings show in every cell, as in IPython
        out, err = Capture(output_limit), Capture(output_limit)
        streams = sys.stdout, sys.stderr
        answer = {"kind": "test", "changed": changed, "rebound": rebound, "status": "ok",
                  "result": None}
        try:
            set_in_module(sys, "stdout", out)
            set_in_module(sys, "stderr", err)
            state["testing"] = True
            with state["builtin_trap"]:
                answer["result"] = run(code, namespace)
        except BaseException as error:  # KeyboardInterrupt: the grader's time limit
            state["testing"] = False
            lines = []
            try:
                trace = error.__traceback__
                while trace is not None and trace.tb_frame.f_code.co_filename != "<test cell>":
                    trace = trace.tb_next  # the guard's own frames are of no interest
                set_in_dict(cached_lines, "<test cell>",
                            (len(code), None, code.splitlines(True), "<test cell>"))
                lines = format_exception(type_(error), error, trace)
            except BaseException:
                pass
            answer.update(status="error", ename=text_of(type_(error).__name__, 200),
                          evalue=text_of(error), traceback=[text_of(x) for x in lines][-50:])
        finally:
            state["testing"] = False
            set_in_module(sys, "stdout", streams[0])
            set_in_module(sys, "stderr", streams[1])
        during, _ = put_back()
        answer.update(stdout=out.text(), stderr=err.text(), during=during)
        answer["changed"] = [text_of(label) for label in changed]
        answer["rebound"] = [text_of(name) for name in rebound]
        answer["during"] = [text_of(label) for label in during]
        return answer

    def take_baseline(key):
        state["key"] = key
        modules = remember_modules()
        state.update(remember(modules))
        remember_hooks(modules)
        future = 0
        for name in __future__.all_feature_names:
            future |= getattr(__future__, name).compiler_flag
        state.update(future_flags=future, user_names=shell.user_ns,
                     builtin_trap=shell.builtin_trap)
        return {"kind": "baseline"}

    def handle(stream, ident, parent):
        """The kernel's handler of the grader's messages (see the module docstring)."""
        content = parent["content"]
        nonce, action, code = (text_of(content.get(k, "")) for k in ("nonce", "action", "code"))
        try:
            if action == "baseline" and "key" not in state:
                answer = take_baseline(bytes.fromhex(content["key"]))
            elif action == "test" and "key" in state:
                answer = run_test(code, int(content.get("output_limit", 1 << 20)))
            else:
                return  # a second baseline, or a test before it: not from the grader
        except BaseException as error:  # the guard itself failed: the grader stops the notebook
            answer = {"kind": "broken", "error": text_of(error)}
        payload = repr_(answer)
        signed = "\0".join([nonce, action, code, payload]).encode()
        send(stream, message_type.replace("_request", "_reply"),
             {"answer": payload, "mac": hmac_digest(state.get("key", b""), signed, "sha256").hex()},
             parent, ident=ident)

    set_in_dict(kernel.shell_handlers, message_type, handle)
