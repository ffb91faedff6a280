"""How many of minilib's public names teach in their own docstring, per namespace.

`help(keras.layers.Dense)` shows the docstring of `Dense` itself, not the docstring of the
module it lives in, nor one inherited from `Layer`. So for every public namespace of
minilib (`minilib` and each module it exposes) this script counts:

- public names: those in the namespace's `__all__`, or, without one, the names without a
  leading underscore that minilib defines (not modules, not torch or numpy); an alias that
  is the same object as another name of the namespace is counted once;
- own docstring: a class whose body has a docstring (`"__doc__" in vars(cls)`), or a
  function or method with a docstring; other objects (a dict of losses) have none of their own;
- with example: own docstrings that hold a `>>>` example.

Usage: python scripts/docstring_coverage.py [--json FILE]
"""

import argparse
import inspect
import json
import types

import minilib


def public_namespaces():
    """`minilib` and every module that `minilib.__all__` names, as (dotted name, module)."""
    modules = [("minilib", minilib)]
    for name in minilib.__all__:
        value = getattr(minilib, name)  # saving, viz, wrappers, applications load here
        if isinstance(value, types.ModuleType):
            modules.append((f"minilib.{name}", value))
    return modules


def public_objects(module):
    """The namespace's public objects, each alias counted once."""
    names = getattr(module, "__all__", None) or [
        name for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
        and (getattr(value, "__module__", None) or "").startswith("minilib")]
    objects = [getattr(module, name) for name in names]
    unique = {id(value): value for value in objects if not isinstance(value, types.ModuleType)}
    return list(unique.values())


def own_docstring(value):
    """The docstring written on `value` itself, or "" when it only inherits one."""
    if inspect.isclass(value):
        return vars(value).get("__doc__") or ""
    if inspect.isroutine(value):
        return value.__doc__ or ""
    return ""


def coverage(objects):
    """Counts for some objects: how many, own docstrings, own docstrings with `>>>`."""
    docstrings = [own_docstring(value) for value in objects]
    return {"public": len(docstrings),
            "own_docstring": sum(bool(doc.strip()) for doc in docstrings),
            "with_example": sum(">>>" in doc for doc in docstrings)}


def percent(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "-"


def markdown_table(rows):
    lines = ["| namespace | public names | own docstring | with `>>>` example | % with example |",
             "|---|---:|---:|---:|---:|"]
    for name, counts in rows.items():
        lines.append(f"| {name} | {counts['public']} | {counts['own_docstring']} | "
                     f"{counts['with_example']} | "
                     f"{percent(counts['with_example'], counts['public'])} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the numbers to FILE as JSON")
    arguments = parser.parse_args()
    objects = {name: public_objects(module) for name, module in public_namespaces()}
    rows = {name: coverage(found) for name, found in objects.items()}
    # a class exposed twice (minilib.Model, minilib.models.Model) counts once in the total
    everything = {id(value): value for found in objects.values() for value in found}
    rows["total (distinct objects)"] = coverage(everything.values())
    print(markdown_table(rows))
    if arguments.json:
        with open(arguments.json, "w", encoding="utf-8") as file:
            json.dump(rows, file, indent=2)


if __name__ == "__main__":
    main()
