"""Sample submissions, made from an assignment's released notebook; ps0_numpy's class here.

`SAMPLE_CLASS` is an ordinary class (solved, partly solved, empty, wrong) with the total
each must score. `make_submission` answers the solution cells and can add cells a student
wrote, or edit locked ones, as the hostile submissions in test_hostile.py do. The minilib
assignments' classes are in samples_ps1.py … samples_ps4.py.
"""

import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ps0_numpy"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"

SOLVED = {
    "normalize": "def normalize(x):\n    x = np.asarray(x, dtype=float)\n"
                 "    return x / np.sqrt((x ** 2).sum())",
    "pairwise_distances": "def pairwise_distances(a, b):\n"
                          "    return np.linalg.norm(a[:, None, :] - b[None, :, :], axis=-1)",
    "softmax": "def softmax(z):\n    e = np.exp(np.asarray(z) - np.max(z))\n    return e / e.sum()",
}
PARTLY_SOLVED = {
    "normalize": SOLVED["normalize"],
    # squared distances: right shape (1 of 3 points)
    "pairwise_distances": "def pairwise_distances(a, b):\n"
                          "    return ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)",
    # overflows for large z: visible tests pass, hidden ones fail
    "softmax": "def softmax(z):\n    return np.exp(z) / np.exp(z).sum()",
}
WRONG = {
    "normalize": "def normalize(x):\n    return x",
    "pairwise_distances": "def pairwise_distances(a, b):\n    return np.zeros((len(b), len(a)))",
    "softmax": SOLVED["softmax"],
}

# student -> (answers, total points out of 7)
SAMPLE_CLASS = {
    "alice": (SOLVED, 7.0),
    "bob": (PARTLY_SOLVED, 3.0),
    "carol": ({}, 0.0),
    "dave": (WRONG, 2.0),
}
SAMPLE_POINTS = {
    "alice": {"test_normalize": 2.0, "test_pairwise_distances": 3.0, "test_softmax": 2.0},
    "bob": {"test_normalize": 2.0, "test_pairwise_distances": 1.0, "test_softmax": 0.0},
    "carol": {"test_normalize": 0.0, "test_pairwise_distances": 0.0, "test_softmax": 0.0},
    "dave": {"test_normalize": 0.0, "test_pairwise_distances": 0.0, "test_softmax": 2.0},
}


def new_course(root):
    """A fresh course directory at `root`: the repository's config and sources."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "course" / "nbgrader_config.py", root)
    shutil.copytree(REPO / "course" / "source", root / "source")
    return root


def make_submission(release_nb, answers=None, added=None, edits=None):
    """The released notebook with solution cells answered, `added` code cells inserted after
    the setup cell, and locked cells edited (`edits`: grade id -> new source)."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in (answers or {}):
            cell.source = answers[grade_id]
        if grade_id in (edits or {}):
            cell.source = edits[grade_id]
    setup = next(i for i, c in enumerate(nb.cells) if c.metadata.nbgrader["grade_id"] == "setup")
    for offset, source in enumerate(added or []):
        nb.cells.insert(setup + 1 + offset, new_code_cell(source))
    return nb


def write_submission(folder, student, nb_or_text, notebook=NOTEBOOK):
    """Write a student's notebook (or raw text, for damaged files) as <folder>/<student>/."""
    target = Path(folder) / student
    target.mkdir(parents=True, exist_ok=True)
    if isinstance(nb_or_text, str):
        (target / notebook).write_text(nb_or_text)
    elif nb_or_text is not None:
        nbformat.write(nb_or_text, target / notebook)
    return target


def read_release(course_root, assignment=ASSIGNMENT):
    """The student version of `assignment` (one notebook, named after it)."""
    path = Path(course_root) / "release" / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4)
