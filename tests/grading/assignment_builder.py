"""Small assignments written by the tests themselves: an instructor's notebook from a list of
cells, each with its nbgrader role, in a course of its own.

    cells = [source_cell("answer", "twice", "def twice(x):\\n    return 2 * x"),
             source_cell("test", "test_twice", "assert twice(2) == 4", points=1)]
    root = new_test_course(tmp / "course")
    write_assignment(root, "a1", {"a1": (PYTHON, cells)})   # then `course generate a1`
"""

import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[2]
PYTHON = {"name": "python3", "display_name": "Python 3", "language": "python"}
ROLES = {  # nbgrader metadata of each kind of cell
    "locked": {"grade": False, "solution": False, "locked": True},
    "answer": {"grade": False, "solution": True, "locked": False},
    "test": {"grade": True, "solution": False, "locked": True},
    "markdown": {"grade": False, "solution": False, "locked": True},
}
# nbgrader's stub for an answer region, per kernel language (bash: a command that fails)
CODE_STUBS = {"python": "# YOUR CODE HERE\nraise NotImplementedError()",
              "bash": "# YOUR CODE HERE\nfalse"}


def source_cell(kind, grade_id, source, points=None, tags=()):
    """A cell of the instructor's notebook: `kind` is a key of ROLES."""
    metadata = {"nbgrader": {**ROLES[kind], "grade_id": grade_id, "schema_version": 3}}
    if points is not None:
        metadata["nbgrader"]["points"] = points
    if tags:
        metadata["tags"] = list(tags)
    make = new_markdown_cell if kind == "markdown" else new_code_cell
    return make(source, metadata=metadata)


def answered(release_nb, answers):
    """A student's submission: the released notebook with answers (grade id -> source)."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell.source = answers.get(grade_id, cell.source)
    return nb


def new_test_course(root):
    """An empty course at `root`: the repository's nbgrader_config.py, with answer stubs for
    Python and bash notebooks."""
    root = Path(root)
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "course" / "nbgrader_config.py", root)
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(f"c.ClearSolutions.code_stub = {CODE_STUBS!r}\n")
    return root


def write_assignment(root, assignment, notebooks):
    """source/<assignment>/<name>.ipynb for each name -> (kernelspec, cells)."""
    folder = Path(root) / "source" / assignment
    folder.mkdir(parents=True)
    for name, (kernelspec, cells) in notebooks.items():
        nb = new_notebook(cells=cells, metadata={"kernelspec": kernelspec})
        nbformat.write(nb, folder / f"{name}.ipynb")
