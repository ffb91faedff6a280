"""`course status`: where grading of an assignment stands, student by student."""

from ..course import CourseError
from ..pipeline.collect import find_submissions
from ..pipeline.ledger import Ledger
from ..pipeline.runner import skipped
from ..table import format_table, points
from .autograde import alert_lines, details

HELP = "show which submissions are graded, failed, skipped (no notebook) or pending, and why"


def add_parser(subparsers):
    parser = subparsers.add_parser("status", help=HELP, description=HELP)
    parser.add_argument("assignment")
    parser.set_defaults(run=run)


def run(course, args):
    rows = status_rows(course, args.assignment)
    if not rows:
        raise CourseError(f"no submissions of {args.assignment}: run `course collect` first")
    print(format_table(["student", "status", "score", "tampered", "details"], rows))
    for line in alert_lines(recorded_rows(course, args.assignment)):
        print(line)
    counts = {s: sum(r[1].startswith(s) for r in rows)
              for s in ("graded", "failed", "pending", "skipped")}
    print(", ".join(f"{n} {s}" for s, n in counts.items() if n or s != "skipped"))
    return 0


def recorded_rows(course, assignment):
    """The recorded results (recorded.json) of the submissions as they are now."""
    found = []
    for submission in find_submissions(course, assignment):
        recorded = Ledger(course, assignment, submission.student).recorded()
        if recorded and recorded["fingerprint"] == submission.fingerprint:
            found.append(recorded)
    return found


def status_rows(course, assignment):
    """[student, status, score, tampered, details] for each submission."""
    rows = []
    for submission in find_submissions(course, assignment):
        ledger = Ledger(course, assignment, submission.student)
        recorded, error = ledger.recorded(), ledger.error()
        if not submission.has_notebooks():
            rows.append([submission.student, "skipped", "-", "", skipped(course, submission)
                         ["reason"]])
        elif recorded and recorded["fingerprint"] == submission.fingerprint:
            score = f"{points(recorded['score'])}/{points(recorded['max_score'])}"
            tampered = "yes" if recorded["tampered"] else ""
            rows.append([submission.student, recorded["status"], score, tampered,
                         "; ".join(details(recorded))])
        elif error and error["fingerprint"] == submission.fingerprint:
            rows.append([submission.student, "pending", "-", "", f"grader error: {error['error']}"])
        else:
            why = "resubmitted since graded" if recorded else "not graded yet"
            rows.append([submission.student, "pending", "-", "", why])
    return rows
