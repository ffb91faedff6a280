"""Which of Keras 3's public names minilib has: writes docs/keras_conformance.md.

    .venv/bin/python scripts/keras_conformance.py        # or: make conformance

For every public name in Keras's namespaces (`keras`, `keras.layers`, `keras.ops`, ...) the
table says whether `import minilib as keras` gives that name at the same path, as an object
that can stand in for Keras's (a class for a class, a callable for a function, a module for a
module). docs/keras_omissions.toml lists the names minilib leaves out on purpose, with the
reason; every other name minilib lacks is "missing".

`--json` prints the rows and the table as one line of JSON instead of writing the file; the
test that keeps the table up to date reads it.
"""

import argparse
import importlib
import inspect
import json
import os
import tomllib
import types
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "keras_conformance.md"
OMISSIONS = ROOT / "docs" / "keras_omissions.toml"
REGENERATE = "make conformance"

NAMESPACES = [
    "keras", "keras.layers", "keras.ops", "keras.ops.image", "keras.ops.linalg", "keras.losses",
    "keras.metrics", "keras.optimizers", "keras.optimizers.schedules", "keras.callbacks",
    "keras.models", "keras.utils", "keras.datasets", "keras.applications", "keras.saving",
    "keras.activations", "keras.initializers", "keras.regularizers", "keras.constraints",
    "keras.random", "keras.preprocessing", "keras.config", "keras.backend",
    "keras.distribution", "keras.wrappers",
]
PRESENT, OMITTED, MISSING = "in minilib", "omitted", "missing"


def kind_of(value):
    """What an export is: "module", "class", "function" (any other callable) or "value"."""
    if isinstance(value, types.ModuleType):
        return "module"
    if inspect.isclass(value):
        return "class"
    return "function" if callable(value) else "value"


def keras_exports():
    """Every public name of NAMESPACES in the installed Keras: {"keras.layers.Dense": "class"}."""
    os.environ["KERAS_BACKEND"] = "torch"
    exports = {}
    for namespace in NAMESPACES:
        module = importlib.import_module(namespace)
        for name in sorted(name for name in dir(module) if not name.startswith("_")):
            exports[f"{namespace}.{name}"] = kind_of(getattr(module, name))
    return exports


def load_omissions(path=OMISSIONS):
    """{"keras.layers.JaxLayer": "JAX-only: ...", ...} from the omissions file."""
    with open(path, "rb") as file:
        groups = tomllib.load(file)["omitted"]
    return {name: group["reason"] for group in groups for name in group["names"]}


def minilib_object(path):
    """What `import minilib as keras` gives at a Keras path ("keras.layers.Dense"), or None."""
    import minilib

    found = minilib
    for part in path.split(".")[1:]:
        found = getattr(found, part, None)
        if found is None:
            return None
    return found


def kind_mismatch(keras_kind, found):
    """Why minilib's object cannot stand in for Keras's, or "" when it can.

    Code subclasses a Keras class and passes it to `isinstance`, so a class needs a class;
    a function needs only something callable.
    """
    found_kind = kind_of(found)
    if found_kind == keras_kind or (keras_kind == "function" and found_kind == "class"):
        return ""
    return f"minilib has a {found_kind} here, Keras a {keras_kind}"


def conformance_rows(exports, omissions):
    """One [path, Keras's kind, status, note] per Keras name, in the order of `exports`.

    The status is PRESENT, OMITTED (the note gives the reason) or MISSING (the note says
    what minilib has instead, if anything).
    """
    rows = []
    for path, keras_kind in exports.items():
        found = minilib_object(path)
        mismatch = "" if found is None else kind_mismatch(keras_kind, found)
        if found is not None and not mismatch:
            rows.append([path, keras_kind, PRESENT, ""])
        elif path in omissions:
            rows.append([path, keras_kind, OMITTED, omissions[path]])
        else:
            rows.append([path, keras_kind, MISSING, mismatch])
    return rows


def share(present, omitted, total):
    """The share of the names minilib means to have that it has."""
    return f"{present / (total - omitted):.0%}" if total > omitted else "—"


def summary_line(label, rows):
    present, omitted, missing = (sum(row[2] == status for row in rows)
                                 for status in (PRESENT, OMITTED, MISSING))
    return (f"| {label} | {len(rows)} | {present} | {omitted} | {missing} | "
            f"{share(present, omitted, len(rows))} |")


def name_list(rows, notes=True):
    """`name`, `name` (note), ... for rows of one namespace."""
    return ", ".join(f"`{row[0].rsplit('.', 1)[1]}`" + (f" ({row[3]})" if notes and row[3] else "")
                     for row in rows)


def namespace_section(namespace, rows):
    """A namespace's missing names, then its omitted names by reason, then the ones minilib has."""
    lines = [f"## `{namespace}`", ""]
    missing = [row for row in rows if row[2] == MISSING]
    if missing:
        lines += [f"**Missing ({len(missing)}):** {name_list(missing)}", ""]
    omitted = [row for row in rows if row[2] == OMITTED]
    if omitted:
        lines += [f"**Omitted on purpose ({len(omitted)}):**", ""]
        for reason in dict.fromkeys(row[3] for row in omitted):
            names = [row for row in omitted if row[3] == reason]
            lines.append(f"- {name_list(names, notes=False)} — {reason}")
        lines.append("")
    present = [row for row in rows if row[2] == PRESENT]
    if present:
        lines += [f"**In minilib ({len(present)}):** {name_list(present)}", ""]
    return lines


def conformance_markdown(rows, keras_version):
    """The whole docs/keras_conformance.md: a summary table, then one section per namespace."""
    by_namespace = {namespace: [] for namespace in NAMESPACES}
    for row in rows:
        by_namespace[row[0].rsplit(".", 1)[0]].append(row)
    lines = [
        "# Keras 3 conformance",
        "",
        f"Every public name of Keras {keras_version}'s namespaces, and whether `import minilib as "
        "keras` gives it at the same path (a class for a class, a callable for a function, a "
        "module for a module). \"Omitted\" names are left out on purpose, for the reason given "
        "(see [keras_omissions.toml](keras_omissions.toml)); \"missing\" ones are still to do. "
        "The share is *in minilib / (Keras names − omitted)*.",
        "",
        f"Generated by `scripts/keras_conformance.py`: do not edit; run `{REGENERATE}`.",
        "",
        "| Namespace | Keras names | In minilib | Omitted on purpose | Missing | Share |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [summary_line(f"[`{namespace}`](#{namespace.replace('.', '')})", group)
              for namespace, group in by_namespace.items()]
    lines += [summary_line("**All**", rows), ""]
    for namespace, group in by_namespace.items():
        lines += namespace_section(namespace, group)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true",
                        help="print the rows and the table as JSON instead of writing the file")
    arguments = parser.parse_args()
    rows = conformance_rows(keras_exports(), load_omissions())
    markdown = conformance_markdown(rows, version("keras"))
    if arguments.json:
        print(json.dumps({"rows": rows, "markdown": markdown}))
    else:
        TABLE.write_text(markdown)
        print(f"wrote {TABLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
