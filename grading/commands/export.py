"""`course export`: grades as CSV, nbgrader's columns then one column per question.

The first eleven columns are those of `nbgrader export`, with the same values. Each further
column, `<notebook>:<grade cell id>`, holds that question's points (manual score if a grader
gave one, else the automatic one), empty when there is no submission.
"""

import csv
import sys
from contextlib import nullcontext

from nbgrader.api import MissingEntry

HELP = "export grades to CSV: nbgrader's columns plus points per question"
NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name",
                    "first_name", "email", "raw_score", "late_submission_penalty", "score",
                    "max_score"]


def add_parser(subparsers):
    parser = subparsers.add_parser("export", help=HELP, description=__doc__.split("\n\n")[1])
    parser.add_argument("--to", default="grades.csv", help="CSV file ('-' for stdout)")
    parser.add_argument("--assignment", action="append", help="only this one (repeatable)")
    parser.set_defaults(run=run)


def run(course, args):
    with course.gradebook() as gb:
        rows, questions = export_rows(gb, args.assignment)
    to_stdout = args.to == "-"
    with nullcontext(sys.stdout) if to_stdout else open(args.to, "w", newline="") as f:
        writer = csv.DictWriter(f, NBGRADER_COLUMNS + questions, restval="")
        writer.writeheader()
        writer.writerows(rows)
    if not to_stdout:
        print(f"wrote {len(rows)} rows to {args.to}")
    return 0


def export_rows(gb, only=None):
    """One dict per (assignment, student), as nbgrader's CSV export builds them."""
    rows, questions = [], []
    for assignment in gb.assignments:
        if only and assignment.name not in only:
            continue
        cells = [(nb.name, cell.name) for nb in assignment.notebooks for cell in nb.grade_cells]
        questions += [f"{nb}:{cell}" for nb, cell in cells]
        for student in gb.students:
            row = {"assignment": assignment.name, "duedate": assignment.duedate,
                   "student_id": student.id, "last_name": student.last_name,
                   "first_name": student.first_name, "email": student.email,
                   "max_score": assignment.max_score}
            try:
                submission = gb.find_submission(assignment.name, student.id)
            except MissingEntry:
                row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
            else:
                penalty = submission.late_submission_penalty
                row.update(timestamp=submission.timestamp, raw_score=submission.score,
                           late_submission_penalty=penalty,
                           score=max(0.0, submission.score - penalty))
                for nb, cell in cells:
                    row[f"{nb}:{cell}"] = gb.find_grade(cell, nb, assignment.name, student.id).score
            rows.append({k: "" if v is None else str(v) for k, v in row.items()})
    return rows, questions

