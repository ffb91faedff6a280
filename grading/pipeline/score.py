"""Step 5: turn an executed notebook into points, by nbgrader's rules and with its code.

nbgrader's post-execution preprocessors shape the outputs (`IgnorePattern`, `LimitOutput`, as
configured in nbgrader_config.py), then `nbgrader.utils.determine_grade` scores each grade cell:
an error output or any stderr output scores 0, a number as the cell's result is partial credit,
anything else full marks. Solution cells left as released get the comment "No response.", as
nbgrader's SaveAutoGrades does.
"""

from dataclasses import dataclass, field

from nbgrader import utils
from nbgrader.preprocessors import IgnorePattern, LimitOutput

from .cell_labels import cell_label

# Errors worth telling the instructor about, by exception name.
NOTABLE_ERRORS = {
    "SyntaxError": "syntax error",
    "IndentationError": "syntax error (indentation)",
    "TabError": "syntax error (tabs and spaces)",
    "MemoryError": "ran out of memory (memory limit)",
    "_ArrayMemoryError": "ran out of memory (memory limit)",
    "RecursionError": "recursion too deep",
}


@dataclass
class NotebookScore:
    grades: dict = field(default_factory=dict)  # grade id -> points (None: manual grading)
    comments: dict = field(default_factory=dict)  # solution or task cell id -> auto comment
    notes: list = field(default_factory=list)  # [cell label, what happened]


def score_notebook(nb, config):
    """Score executed notebook `nb` (its outputs are shaped in place); return NotebookScore."""
    resources = {}
    for preprocessor in (IgnorePattern, LimitOutput):
        nb, resources = preprocessor(config=config)(nb, resources)  # if enabled
    score = NotebookScore()
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if utils.is_grade(cell):
            score.grades[grade_id], _ = utils.determine_grade(cell)
        if utils.is_solution(cell) or utils.is_task(cell):
            unchanged = cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
            no_response = unchanged and not utils.is_task(cell)
            score.comments[grade_id] = "No response." if no_response else None
        for output in cell.get("outputs", []):
            if output.output_type == "error" and output.ename in NOTABLE_ERRORS:
                note = f"{NOTABLE_ERRORS[output.ename]}: {output.evalue}".rstrip(": ")
                score.notes.append([cell_label(nb, index), note])
    return score
