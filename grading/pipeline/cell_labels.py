"""How a report names a cell: as the student sees it, "cell 7 (test_normalize)".

The instructor reads which cell went wrong in the notes of a run: from `execute`, as it runs the
notebook (a time limit, tampering), and from `score`, once it is run (a syntax error). Both name
the cell alike: its 1-based position in the student's notebook, then its nbgrader grade id if
it has one. Papermill's injected parameters cell is not the student's, so it is not counted:

    cell_label(nb, 3)  # "cell 3 (test_normalize)", or "cell 3" for a cell without a grade id
"""

INJECTED = "injected-parameters"  # papermill's tag on the cell it adds


def is_injected(cell):
    """Whether papermill added `cell` (the parameters it injects), rather than the student."""
    return INJECTED in cell.metadata.get("tags", [])


def cell_label(nb, index):
    """'cell 7 (test_normalize)': 1-based position in the student's notebook, plus grade id."""
    cells = nb.cells[: index + 1]
    position = sum(1 for c in cells if not is_injected(c))
    grade_id = nb.cells[index].metadata.get("nbgrader", {}).get("grade_id")
    return f"cell {position}" + (f" ({grade_id})" if grade_id else "")
