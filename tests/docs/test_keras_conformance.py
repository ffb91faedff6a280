"""docs/keras_conformance.md is up to date, and every Keras name it gives minilib is really there.

The slow tests run `scripts/keras_conformance.py --json` once, in a fresh process (Keras
takes seconds to import, and a fresh process sees only what `import minilib` itself loads).
"""

import difflib
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "keras_conformance.py"
specification = importlib.util.spec_from_file_location("keras_conformance", SCRIPT)
conformance = importlib.util.module_from_spec(specification)
specification.loader.exec_module(conformance)


@pytest.fixture(scope="module")
def regenerated():
    environment = {**os.environ, "KERAS_BACKEND": "torch", "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, str(SCRIPT), "--json"], capture_output=True,
                            text=True, env=environment, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.slow
def test_committed_table_is_up_to_date(regenerated):
    committed = conformance.TABLE.read_text()
    difference = list(difflib.unified_diff(committed.splitlines(),
                                           regenerated["markdown"].splitlines(),
                                           "committed", "regenerated", lineterm="", n=0))
    assert not difference, ("docs/keras_conformance.md is out of date: regenerate it with "
                            f"`{conformance.REGENERATE}`.\n" + "\n".join(difference[:20]))


@pytest.mark.slow
def test_every_name_the_table_gives_minilib_is_importable_there(regenerated):
    wrong = []
    for path, keras_kind, status, _ in regenerated["rows"]:
        if status != conformance.PRESENT:
            continue
        namespace, name = path.rsplit(".", 1)
        module = importlib.import_module("minilib" + namespace.removeprefix("keras"))
        found = getattr(module, name, None)  # what `from minilib.layers import Dense` finds
        if keras_kind == "class" and not isinstance(found, type):
            wrong.append(f"{path}: Keras has a class, minilib {found!r}")
        if keras_kind == "function" and not callable(found):
            wrong.append(f"{path}: Keras has a function, minilib {found!r}")
        if keras_kind == "module" and not isinstance(found, types.ModuleType):
            wrong.append(f"{path}: Keras has a module, minilib {found!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow
def test_each_omission_is_a_keras_name_that_minilib_lacks(regenerated):
    status_of = {row[0]: row[2] for row in regenerated["rows"]}
    for path in conformance.load_omissions():
        assert path in status_of, (f"docs/keras_omissions.toml lists {path}, which Keras does "
                                   "not export (or whose namespace the script does not read)")
        assert status_of[path] == conformance.OMITTED, (
            f"minilib now has {path}: remove it from docs/keras_omissions.toml")


def test_rows_tell_present_omitted_missing_and_wrong_kind_apart():
    exports = {"keras.layers.Dense": "class", "keras.layers.JaxLayer": "class",
               "keras.layers.NoSuchLayer": "class", "keras.Input": "function",
               "keras.ops": "class"}
    rows = conformance.conformance_rows(exports, {"keras.layers.JaxLayer": "JAX-only"})
    assert rows == [
        ["keras.layers.Dense", "class", "in minilib", ""],
        ["keras.layers.JaxLayer", "class", "omitted", "JAX-only"],
        ["keras.layers.NoSuchLayer", "class", "missing", ""],
        ["keras.Input", "function", "in minilib", ""],
        ["keras.ops", "class", "missing", "minilib has a module here, Keras a class"],
    ]


def test_share_leaves_omitted_names_out_of_the_count():
    rows = [["keras.layers.A", "class", "in minilib", ""],
            ["keras.layers.B", "class", "omitted", "JAX-only"],
            ["keras.layers.C", "class", "missing", ""]]
    summary = conformance.summary_line("`keras.layers`", rows)
    assert summary == "| `keras.layers` | 3 | 1 | 1 | 1 | 50% |"
